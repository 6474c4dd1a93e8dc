// Interoperability with DaCe 2.0's SDFG files: reading, writing, and the Python-subset tasklet translation.
export { readDaceSDFG, type DaceImport } from './read.js';
export { writeDaceSDFG } from './write.js';
export { readDaceFile, writeDaceFile, daceFileText } from './files.js';
export { type DaceImportReport, type UntranslatedTasklet, type UnknownLibraryNode, formatReport, fullyTranslated } from './report.js';
export { translateTasklet, translateExpression, translateWcr, type TranslateEnv, type TaskletTranslation } from './python-translate.js';
export { pythonExpr, pythonStatements } from './python-print.js';
