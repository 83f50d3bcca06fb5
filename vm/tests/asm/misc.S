/* VM-specific behaviour: fences and ebreak are nops, ecall with a7 != 93 returns (clobbering
   ra), the input region layout, the UART and the output slots. VM only. */
#include "test.h"
    .option norvc
TEST_BEGIN

    /* fence, fence.i, fence.tso, pause and ebreak are nops */
    li a4, 5
    fence
    fence rw, rw
    fence iorw, iorw
    fence.tso
    .word 0x0100000f  /* pause (fence w, 0) */
    fence.i
    ebreak
    CHECK(a4, 5)

    /* an ecall other than exit returns to the next instruction and clobbers ra */
    li a7, 64
    li ra, 0
1:  ecall
    la a5, 1b + 4
    CHECK_REG(ra, a5)
    li a7, 0
    li a4, 9
    ecall
    CHECK(a4, 9)

    /* the input: length (u64) at 0x4000_0008, bytes from 0x4000_0010; the host passes
       "zisk conformance input!" (23 bytes) */
    li a1, 0x40000000
    ld a4, 8(a1)
    CHECK(a4, 23)
    ld a4, 16(a1)
    CHECK(a4, 0x6e6f63206b73697a)
    lbu a4, 38(a1)
    CHECK(a4, 0x21)
    lw a4, 35(a1)
    CHECK(a4, 0x21747570)
    /* the last byte and the zero padding up to the next multiple of 8 */
    lhu a4, 38(a1)
    CHECK(a4, 0x21)
    ld a4, 32(a1)
    CHECK(a4, 0x00217475706e6920)

    /* a0 holds the input address and a1 the output address at entry: checked via the BIOS
       contract only by the entry code, so here only the console and the outputs */
    li a1, 0xA0000200
    li a2, 'o'
    sb a2, 0(a1)
    li a2, 'k'
    sb a2, 0(a1)
    li a2, '\n'
    sb a2, 0(a1)

    /* output slot 40: the emulator reports 41 slots */
    li a1, 0xA0010000
    li a2, 0xcafe
    sw a2, 160(a1)
    lwu a4, 160(a1)
    CHECK(a4, 0xcafe)

TEST_END
