// processing element read_x_v (reader): state "pipeline", map "read_x_v" (n6)
static void read_x_v(double* fpga_x, hls::stream<double, 8>& x_to_v, int64_t N) {
  // state "pipeline", map "read_x_v" (n6): pipelined, estimated II=1
  read_x_v_i: for (int64_t i = 0; i < N; ++i) {
    #pragma HLS PIPELINE II=1
    // state "pipeline", tasklet "read_x_v_move" (n8)
    {
      const double v = fpga_x[i];
      double o;
      o = v;
      x_to_v.write(o);
    }
  }
}

// processing element map_0 (compute): state "pipeline", map "map_0" (n0)
static void map_0(hls::stream<double, 64>& queue, hls::stream<double, 8>& x_to_v, int64_t N) {
  // state "pipeline", map "map_0" (n0): pipelined, estimated II=1
  map_0_i: for (int64_t i = 0; i < N; ++i) {
    #pragma HLS PIPELINE II=1
    // state "pipeline", tasklet "tasklet_0" (n2)
    {
      const double v = x_to_v.read();
      double o;
      o = 2.0 * v;
      queue.write(o);
    }
  }
}

// state "pipeline" (s0): 2 processing elements in 1 dataflow region
static void state_pipeline(hls::stream<double, 64>& queue, double* fpga_x, int64_t N) {
  #pragma HLS DATAFLOW
  hls::stream<double, 8> x_to_v("x_to_v");
  #pragma HLS STREAM variable=x_to_v depth=8
  SDFG_DATAFLOW_BEGIN("state pipeline (s0): 2 processing elements in 1 dataflow region");
  SDFG_PROCESS(read_x_v(fpga_x, x_to_v, N));
  SDFG_PROCESS(map_0(queue, x_to_v, N));
  SDFG_DATAFLOW_END();
}

// processing element consume_0 (writer): state "consume_0", consume "consume_0" (n0)
static void consume_0(hls::stream<double, 64>& queue, double* fpga_total) {
  // state "consume_0", consume "consume_0" (n0): pipelined, estimated II=7
  while (!queue.empty()) {
    #pragma HLS PIPELINE II=1
    const double queue_element = queue.read();
    const int64_t consume_0_pe = 0;
    // state "consume_0", tasklet "tasklet_1" (n3)
    {
      const double v = queue_element;
      double acc;
      acc = v;
      fpga_total[0] += acc;
    }
  }
}

// state "consume_0" (s1): 1 processing element in 1 dataflow region
static void state_consume_0(hls::stream<double, 64>& queue, double* fpga_total) {
  consume_0(queue, fpga_total);
}

// top function of SDFG "stream_pipeline": the kernel
void stream_pipeline_top(double* fpga_total, double* fpga_x, int64_t N) {
  #pragma HLS INTERFACE m_axi port=fpga_total offset=slave bundle=gmem0
  #pragma HLS INTERFACE m_axi port=fpga_x offset=slave bundle=gmem1
  #pragma HLS INTERFACE s_axilite port=N
  #pragma HLS INTERFACE s_axilite port=return
  hls::stream<double, 64> queue("queue");
  #pragma HLS STREAM variable=queue depth=64
  state_pipeline(queue, fpga_x, N);  // state "pipeline"
  state_consume_0(queue, fpga_total);  // state "consume_0"
}
