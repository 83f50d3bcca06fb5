/* Input and output access for the C benchmark guests (the ZisK guest ABI). */
#include <stdint.h>
static inline uint64_t input_len(void) { return *(volatile uint64_t *)0x40000008UL; }
static inline const uint8_t *input_data(void) { return (const uint8_t *)0x40000010UL; }
static inline uint64_t input_u64(void) {
  const uint8_t *p = input_data(); uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
static inline void set_output(int id, uint32_t v) { ((volatile uint32_t *)0xA0010000UL)[id] = v; }
