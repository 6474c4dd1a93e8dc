// processing element read_C_c (reader): state "scale", map "read_C_c" (n7)
static void read_C_c(double* fpga_C, hls::stream<double, 8>& C_to_c, int64_t NI, int64_t NJ) {
  // state "scale", map "read_C_c" (n7): pipelined, estimated II=1
  read_C_c_i: for (int64_t i = 0; i < NI; ++i) {
    read_C_c_j: for (int64_t j = 0; j < NJ; ++j) {
      #pragma HLS PIPELINE II=1
      // state "scale", tasklet "read_C_c_move" (n9)
      {
        const double v = fpga_C[NJ*i + j];
        double o;
        o = v;
        C_to_c.write(o);
      }
    }
  }
}

// processing element scale (compute): state "scale", map "scale" (n0)
static void scale(const double beta, hls::stream<double, 8>& C_to_c, hls::stream<double, 8>& C_from_out, int64_t NI, int64_t NJ) {
  // state "scale", map "scale" (n0): pipelined, estimated II=1
  scale_i: for (int64_t i = 0; i < NI; ++i) {
    scale_j: for (int64_t j = 0; j < NJ; ++j) {
      #pragma HLS PIPELINE II=1
      // state "scale", tasklet "tasklet_0" (n2)
      {
        const double beta_ = beta;
        const double c = C_to_c.read();
        double out;
        out = beta_ * c;
        C_from_out.write(out);
      }
    }
  }
}

// processing element write_C_out (writer): state "scale", map "write_C_out" (n11)
static void write_C_out(double* fpga_C, hls::stream<double, 8>& C_from_out, int64_t NI, int64_t NJ) {
  // state "scale", map "write_C_out" (n11): pipelined, estimated II=1
  write_C_out_i: for (int64_t i = 0; i < NI; ++i) {
    write_C_out_j: for (int64_t j = 0; j < NJ; ++j) {
      #pragma HLS PIPELINE II=1
      // state "scale", tasklet "write_C_out_move" (n13)
      {
        const double v = C_from_out.read();
        double o;
        o = v;
        fpga_C[NJ*i + j] = o;
      }
    }
  }
}

// state "scale" (s0): 3 processing elements in 1 dataflow region
static void state_scale(const double beta, double* fpga_C, int64_t NI, int64_t NJ) {
  #pragma HLS DATAFLOW
  hls::stream<double, 8> C_to_c("C_to_c");
  #pragma HLS STREAM variable=C_to_c depth=8
  hls::stream<double, 8> C_from_out("C_from_out");
  #pragma HLS STREAM variable=C_from_out depth=8
  SDFG_DATAFLOW_BEGIN("state scale (s0): 3 processing elements in 1 dataflow region");
  SDFG_PROCESS(read_C_c(fpga_C, C_to_c, NI, NJ));
  SDFG_PROCESS(scale(beta, C_to_c, C_from_out, NI, NJ));
  SDFG_PROCESS(write_C_out(fpga_C, C_from_out, NI, NJ));
  SDFG_DATAFLOW_END();
}

// processing element read_A_a (reader): state "multiply", map "read_A_a" (n8)
static void read_A_a(double* fpga_A, hls::stream<double, 8>& A_to_a, int64_t NI, int64_t NJ, int64_t NK) {
  // state "multiply", map "read_A_a" (n8): pipelined, estimated II=1
  read_A_a_i: for (int64_t i = 0; i < NI; ++i) {
    read_A_a_j: for (int64_t j = 0; j < NJ; ++j) {
      read_A_a_k: for (int64_t k = 0; k < NK; ++k) {
        #pragma HLS PIPELINE II=1
        // state "multiply", tasklet "read_A_a_move" (n10)
        {
          const double v = fpga_A[NK*i + k];
          double o;
          o = v;
          A_to_a.write(o);
        }
      }
    }
  }
}

// processing element read_B_b (reader): state "multiply", map "read_B_b" (n12)
static void read_B_b(double* fpga_B, hls::stream<double, 8>& B_to_b, int64_t NI, int64_t NJ, int64_t NK) {
  // state "multiply", map "read_B_b" (n12): pipelined, estimated II=1
  read_B_b_i: for (int64_t i = 0; i < NI; ++i) {
    read_B_b_j: for (int64_t j = 0; j < NJ; ++j) {
      read_B_b_k: for (int64_t k = 0; k < NK; ++k) {
        #pragma HLS PIPELINE II=1
        // state "multiply", tasklet "read_B_b_move" (n14)
        {
          const double v = fpga_B[NJ*k + j];
          double o;
          o = v;
          B_to_b.write(o);
        }
      }
    }
  }
}

// processing element multiply (compute): state "multiply", map "multiply" (n0)
static void multiply(const double alpha, double* fpga_C, hls::stream<double, 8>& A_to_a, hls::stream<double, 8>& B_to_b, int64_t NI, int64_t NJ, int64_t NK) {
  // state "multiply", map "multiply" (n0): pipelined, estimated II=1
  multiply_i: for (int64_t i = 0; i < NI; ++i) {
    multiply_j: for (int64_t j = 0; j < NJ; ++j) {
      // tasklet_1 accumulates into fpga_C: 8 interleaved partial results hide the combine's latency (7 cycles), so the pipeline keeps II=1
      double fpga_C_partial[8];
      #pragma HLS ARRAY_PARTITION variable=fpga_C_partial complete
      for (int64_t fpga_C_partial_k = 0; fpga_C_partial_k < 8; ++fpga_C_partial_k) {
        #pragma HLS UNROLL
        fpga_C_partial[fpga_C_partial_k] = double(0);
      }
      int64_t partial_slot = 0;
      multiply_k: for (int64_t k = 0; k < NK; ++k) {
        #pragma HLS PIPELINE II=1
        // state "multiply", tasklet "tasklet_1" (n2)
        {
          const double alpha_ = alpha;
          const double a = A_to_a.read();
          const double b = B_to_b.read();
          double out;
          out = alpha_ * a * b;
          fpga_C_partial[partial_slot] += out;
        }
        partial_slot = partial_slot == 7 ? 0 : partial_slot + 1;
      }
      {
        double fpga_C_total = fpga_C_partial[0];
        for (int64_t fpga_C_partial_k_0 = 1; fpga_C_partial_k_0 < 8; ++fpga_C_partial_k_0) {
          #pragma HLS UNROLL
          fpga_C_total += fpga_C_partial[fpga_C_partial_k_0];
        }
        fpga_C[NJ*i + j] += fpga_C_total;
      }
    }
  }
}

// state "multiply" (s1): 3 processing elements in 1 dataflow region
static void state_multiply(const double alpha, double* fpga_A, double* fpga_B, double* fpga_C, int64_t NI, int64_t NJ, int64_t NK) {
  #pragma HLS DATAFLOW
  hls::stream<double, 8> A_to_a("A_to_a");
  #pragma HLS STREAM variable=A_to_a depth=8
  hls::stream<double, 8> B_to_b("B_to_b");
  #pragma HLS STREAM variable=B_to_b depth=8
  SDFG_DATAFLOW_BEGIN("state multiply (s1): 3 processing elements in 1 dataflow region");
  SDFG_PROCESS(read_A_a(fpga_A, A_to_a, NI, NJ, NK));
  SDFG_PROCESS(read_B_b(fpga_B, B_to_b, NI, NJ, NK));
  SDFG_PROCESS(multiply(alpha, fpga_C, A_to_a, B_to_b, NI, NJ, NK));
  SDFG_DATAFLOW_END();
}

// top function of SDFG "gemm": the kernel
void gemm_top(double* fpga_A, double* fpga_B, double* fpga_C, double alpha, double beta, int64_t NI, int64_t NJ, int64_t NK) {
  #pragma HLS INTERFACE m_axi port=fpga_A offset=slave bundle=gmem0
  #pragma HLS INTERFACE m_axi port=fpga_B offset=slave bundle=gmem1
  #pragma HLS INTERFACE m_axi port=fpga_C offset=slave bundle=gmem2
  #pragma HLS INTERFACE s_axilite port=alpha
  #pragma HLS INTERFACE s_axilite port=beta
  #pragma HLS INTERFACE s_axilite port=NI
  #pragma HLS INTERFACE s_axilite port=NJ
  #pragma HLS INTERFACE s_axilite port=NK
  #pragma HLS INTERFACE s_axilite port=return
  state_scale(beta, fpga_C, NI, NJ);  // state "scale"
  state_multiply(alpha, fpga_A, fpga_B, fpga_C, NI, NJ, NK);  // state "multiply"
}
