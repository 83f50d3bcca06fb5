/* Benchmark guest: the n-th Fibonacci number modulo 2^64, n read from the input. */
#include "guest.h"
int main(void) {
  uint64_t n = input_u64(), a = 0, b = 1;
  for (uint64_t i = 0; i < n; i++) { uint64_t t = a + b; a = b; b = t; }
  set_output(0, (uint32_t)a); set_output(1, (uint32_t)(a >> 32));
  return 0;
}
