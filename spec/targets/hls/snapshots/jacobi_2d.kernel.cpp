// processing element read_A_n (reader): state "to_B", map "read_A_n" (n6)
static void read_A_n(double* fpga_A, hls::stream<double, 8>& A_to_n, int64_t N) {
  // state "to_B", map "read_A_n" (n6): pipelined, estimated II=1
  read_A_n_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_A_n_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "read_A_n_move" (n8)
      {
        const double v = fpga_A[N*i - N + j];
        double o;
        o = v;
        A_to_n.write(o);
      }
    }
  }
}

// processing element read_A_s (reader): state "to_B", map "read_A_s" (n10)
static void read_A_s(double* fpga_A, hls::stream<double, 8>& A_to_s, int64_t N) {
  // state "to_B", map "read_A_s" (n10): pipelined, estimated II=1
  read_A_s_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_A_s_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "read_A_s_move" (n12)
      {
        const double v = fpga_A[N*i + N + j];
        double o;
        o = v;
        A_to_s.write(o);
      }
    }
  }
}

// processing element read_A_e (reader): state "to_B", map "read_A_e" (n14)
static void read_A_e(double* fpga_A, hls::stream<double, 8>& A_to_e, int64_t N) {
  // state "to_B", map "read_A_e" (n14): pipelined, estimated II=1
  read_A_e_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_A_e_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "read_A_e_move" (n16)
      {
        const double v = fpga_A[N*i + j + 1];
        double o;
        o = v;
        A_to_e.write(o);
      }
    }
  }
}

// processing element read_A_w (reader): state "to_B", map "read_A_w" (n18)
static void read_A_w(double* fpga_A, hls::stream<double, 8>& A_to_w, int64_t N) {
  // state "to_B", map "read_A_w" (n18): pipelined, estimated II=1
  read_A_w_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_A_w_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "read_A_w_move" (n20)
      {
        const double v = fpga_A[N*i + j - 1];
        double o;
        o = v;
        A_to_w.write(o);
      }
    }
  }
}

// processing element read_A_c (reader): state "to_B", map "read_A_c" (n22)
static void read_A_c(double* fpga_A, hls::stream<double, 8>& A_to_c, int64_t N) {
  // state "to_B", map "read_A_c" (n22): pipelined, estimated II=1
  read_A_c_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_A_c_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "read_A_c_move" (n24)
      {
        const double v = fpga_A[N*i + j];
        double o;
        o = v;
        A_to_c.write(o);
      }
    }
  }
}

// processing element to_B (compute): state "to_B", map "to_B" (n0)
static void to_B(hls::stream<double, 8>& A_to_n, hls::stream<double, 8>& A_to_s, hls::stream<double, 8>& A_to_e, hls::stream<double, 8>& A_to_w, hls::stream<double, 8>& A_to_c, hls::stream<double, 8>& B_from_out, int64_t N) {
  // state "to_B", map "to_B" (n0): pipelined, estimated II=1
  to_B_i: for (int64_t i = 1; i < N - 1; ++i) {
    to_B_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "tasklet_0" (n2)
      {
        const double n = A_to_n.read();
        const double s = A_to_s.read();
        const double e = A_to_e.read();
        const double w = A_to_w.read();
        const double c = A_to_c.read();
        double out;
        out = 0.2 * (c + w + e + s + n);
        B_from_out.write(out);
      }
    }
  }
}

// processing element write_B_out (writer): state "to_B", map "write_B_out" (n26)
static void write_B_out(double* fpga_B, hls::stream<double, 8>& B_from_out, int64_t N) {
  // state "to_B", map "write_B_out" (n26): pipelined, estimated II=1
  write_B_out_i: for (int64_t i = 1; i < N - 1; ++i) {
    write_B_out_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_B", tasklet "write_B_out_move" (n28)
      {
        const double v = B_from_out.read();
        double o;
        o = v;
        fpga_B[N*i + j] = o;
      }
    }
  }
}

// state "to_B" (s0): 7 processing elements in 1 dataflow region
static void state_to_B(double* fpga_A, double* fpga_B, int64_t N) {
  #pragma HLS DATAFLOW
  hls::stream<double, 8> A_to_n("A_to_n");
  #pragma HLS STREAM variable=A_to_n depth=8
  hls::stream<double, 8> A_to_s("A_to_s");
  #pragma HLS STREAM variable=A_to_s depth=8
  hls::stream<double, 8> A_to_e("A_to_e");
  #pragma HLS STREAM variable=A_to_e depth=8
  hls::stream<double, 8> A_to_w("A_to_w");
  #pragma HLS STREAM variable=A_to_w depth=8
  hls::stream<double, 8> A_to_c("A_to_c");
  #pragma HLS STREAM variable=A_to_c depth=8
  hls::stream<double, 8> B_from_out("B_from_out");
  #pragma HLS STREAM variable=B_from_out depth=8
  SDFG_DATAFLOW_BEGIN("state to_B (s0): 7 processing elements in 1 dataflow region");
  SDFG_PROCESS(read_A_n(fpga_A, A_to_n, N));
  SDFG_PROCESS(read_A_s(fpga_A, A_to_s, N));
  SDFG_PROCESS(read_A_e(fpga_A, A_to_e, N));
  SDFG_PROCESS(read_A_w(fpga_A, A_to_w, N));
  SDFG_PROCESS(read_A_c(fpga_A, A_to_c, N));
  SDFG_PROCESS(to_B(A_to_n, A_to_s, A_to_e, A_to_w, A_to_c, B_from_out, N));
  SDFG_PROCESS(write_B_out(fpga_B, B_from_out, N));
  SDFG_DATAFLOW_END();
}

// processing element read_B_n (reader): state "to_A", map "read_B_n" (n6)
static void read_B_n(double* fpga_B, hls::stream<double, 8>& B_to_n, int64_t N) {
  // state "to_A", map "read_B_n" (n6): pipelined, estimated II=1
  read_B_n_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_B_n_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "read_B_n_move" (n8)
      {
        const double v = fpga_B[N*i - N + j];
        double o;
        o = v;
        B_to_n.write(o);
      }
    }
  }
}

// processing element read_B_s (reader): state "to_A", map "read_B_s" (n10)
static void read_B_s(double* fpga_B, hls::stream<double, 8>& B_to_s, int64_t N) {
  // state "to_A", map "read_B_s" (n10): pipelined, estimated II=1
  read_B_s_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_B_s_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "read_B_s_move" (n12)
      {
        const double v = fpga_B[N*i + N + j];
        double o;
        o = v;
        B_to_s.write(o);
      }
    }
  }
}

// processing element read_B_e (reader): state "to_A", map "read_B_e" (n14)
static void read_B_e(double* fpga_B, hls::stream<double, 8>& B_to_e, int64_t N) {
  // state "to_A", map "read_B_e" (n14): pipelined, estimated II=1
  read_B_e_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_B_e_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "read_B_e_move" (n16)
      {
        const double v = fpga_B[N*i + j + 1];
        double o;
        o = v;
        B_to_e.write(o);
      }
    }
  }
}

// processing element read_B_w (reader): state "to_A", map "read_B_w" (n18)
static void read_B_w(double* fpga_B, hls::stream<double, 8>& B_to_w, int64_t N) {
  // state "to_A", map "read_B_w" (n18): pipelined, estimated II=1
  read_B_w_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_B_w_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "read_B_w_move" (n20)
      {
        const double v = fpga_B[N*i + j - 1];
        double o;
        o = v;
        B_to_w.write(o);
      }
    }
  }
}

// processing element read_B_c (reader): state "to_A", map "read_B_c" (n22)
static void read_B_c(double* fpga_B, hls::stream<double, 8>& B_to_c, int64_t N) {
  // state "to_A", map "read_B_c" (n22): pipelined, estimated II=1
  read_B_c_i: for (int64_t i = 1; i < N - 1; ++i) {
    read_B_c_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "read_B_c_move" (n24)
      {
        const double v = fpga_B[N*i + j];
        double o;
        o = v;
        B_to_c.write(o);
      }
    }
  }
}

// processing element to_A (compute): state "to_A", map "to_A" (n0)
static void to_A(hls::stream<double, 8>& B_to_n, hls::stream<double, 8>& B_to_s, hls::stream<double, 8>& B_to_e, hls::stream<double, 8>& B_to_w, hls::stream<double, 8>& B_to_c, hls::stream<double, 8>& A_from_out, int64_t N) {
  // state "to_A", map "to_A" (n0): pipelined, estimated II=1
  to_A_i: for (int64_t i = 1; i < N - 1; ++i) {
    to_A_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "tasklet_1" (n2)
      {
        const double n = B_to_n.read();
        const double s = B_to_s.read();
        const double e = B_to_e.read();
        const double w = B_to_w.read();
        const double c = B_to_c.read();
        double out;
        out = 0.2 * (c + w + e + s + n);
        A_from_out.write(out);
      }
    }
  }
}

// processing element write_A_out (writer): state "to_A", map "write_A_out" (n26)
static void write_A_out(double* fpga_A, hls::stream<double, 8>& A_from_out, int64_t N) {
  // state "to_A", map "write_A_out" (n26): pipelined, estimated II=1
  write_A_out_i: for (int64_t i = 1; i < N - 1; ++i) {
    write_A_out_j: for (int64_t j = 1; j < N - 1; ++j) {
      #pragma HLS PIPELINE II=1
      // state "to_A", tasklet "write_A_out_move" (n28)
      {
        const double v = A_from_out.read();
        double o;
        o = v;
        fpga_A[N*i + j] = o;
      }
    }
  }
}

// state "to_A" (s1): 7 processing elements in 1 dataflow region
static void state_to_A(double* fpga_A, double* fpga_B, int64_t N) {
  #pragma HLS DATAFLOW
  hls::stream<double, 8> B_to_n("B_to_n");
  #pragma HLS STREAM variable=B_to_n depth=8
  hls::stream<double, 8> B_to_s("B_to_s");
  #pragma HLS STREAM variable=B_to_s depth=8
  hls::stream<double, 8> B_to_e("B_to_e");
  #pragma HLS STREAM variable=B_to_e depth=8
  hls::stream<double, 8> B_to_w("B_to_w");
  #pragma HLS STREAM variable=B_to_w depth=8
  hls::stream<double, 8> B_to_c("B_to_c");
  #pragma HLS STREAM variable=B_to_c depth=8
  hls::stream<double, 8> A_from_out("A_from_out");
  #pragma HLS STREAM variable=A_from_out depth=8
  SDFG_DATAFLOW_BEGIN("state to_A (s1): 7 processing elements in 1 dataflow region");
  SDFG_PROCESS(read_B_n(fpga_B, B_to_n, N));
  SDFG_PROCESS(read_B_s(fpga_B, B_to_s, N));
  SDFG_PROCESS(read_B_e(fpga_B, B_to_e, N));
  SDFG_PROCESS(read_B_w(fpga_B, B_to_w, N));
  SDFG_PROCESS(read_B_c(fpga_B, B_to_c, N));
  SDFG_PROCESS(to_A(B_to_n, B_to_s, B_to_e, B_to_w, B_to_c, A_from_out, N));
  SDFG_PROCESS(write_A_out(fpga_A, A_from_out, N));
  SDFG_DATAFLOW_END();
}

// top function of SDFG "jacobi_2d": the kernel
void jacobi_2d_top(double* fpga_A, double* fpga_B, int64_t TSTEPS, int64_t N) {
  #pragma HLS INTERFACE m_axi port=fpga_A offset=slave bundle=gmem0
  #pragma HLS INTERFACE m_axi port=fpga_B offset=slave bundle=gmem1
  #pragma HLS INTERFACE s_axilite port=TSTEPS
  #pragma HLS INTERFACE s_axilite port=N
  #pragma HLS INTERFACE s_axilite port=return
  int64_t t = 0;
  // loop "loop_t_0"
  loop_t_0: for (t = 1; t < TSTEPS; t = t + 1) {
    state_to_B(fpga_A, fpga_B, N);  // state "to_B"
    state_to_A(fpga_A, fpga_B, N);  // state "to_A"
  }
}
