// What reading a DaCe file could not translate: tasklets kept as raw code, unknown library nodes, other adaptations.

export interface UntranslatedTasklet {
  /** The SDFG's name, with the names of the SDFGs around it: `outer/inner`. */
  readonly sdfg: string;
  readonly state: string;
  readonly node: string;
  readonly id: number;
  readonly language: string;
  readonly reason: string;
  readonly code: string;
}

export interface UnknownLibraryNode {
  readonly sdfg: string;
  readonly state: string;
  readonly node: string;
  readonly id: number;
  readonly classpath: string;
}

export interface DaceImportReport {
  /** Tasklets kept in their own language: the program loads, validates and prints, but only runs where a target takes that code. */
  readonly untranslatedTasklets: UntranslatedTasklet[];
  /** Library nodes kept as `Unknown`: printed and written back, not runnable. */
  readonly unknownLibraryNodes: UnknownLibraryNode[];
  /** Other adaptations: unknown enumeration values, dropped tile sizes. */
  readonly notes: string[];
}

export function emptyReport(): DaceImportReport {
  return { untranslatedTasklets: [], unknownLibraryNodes: [], notes: [] };
}

/** True when everything was translated: the reference interpreter can run the program. */
export function fullyTranslated(report: DaceImportReport): boolean {
  return report.untranslatedTasklets.length === 0 && report.unknownLibraryNodes.length === 0;
}

/** The report as text, one line per item, for a terminal or a test failure. */
export function formatReport(report: DaceImportReport): string {
  if (fullyTranslated(report) && report.notes.length === 0) return 'everything was translated';
  const lines: string[] = [];
  for (const t of report.untranslatedTasklets) {
    const code = t.code.length > 70 ? `${t.code.slice(0, 67)}...` : t.code;
    lines.push(`untranslated ${t.language} tasklet ${t.sdfg} / ${t.state} / ${t.node} (#${t.id}): ${t.reason}\n    ${code.replace(/\n/g, '\n    ')}`);
  }
  for (const n of report.unknownLibraryNodes) lines.push(`unknown library node ${n.sdfg} / ${n.state} / ${n.node} (#${n.id}): ${n.classpath}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
