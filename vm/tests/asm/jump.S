/* RV64I control transfer: jal, jalr (odd and non-multiple-of-4 offsets, odd base, rd == rs1,
   rd == x0) and every conditional branch, taken and not taken, forward and backward. */
#include "test.h"
    .option norvc

/* After a jump at label 97541 that must land on label 97540: checks that `link` holds the
   address after the jump. */
#define CHECK_LINK(link) \
    jal t0, fail; \
97540: \
    la t2, 97541b + 4; mv t1, link; addi gp, gp, 1; beq t1, t2, 97542f; jal t0, fail; 97542:

/* jal link, target */
#define TEST_JAL(link) \
    addi gp, gp, 1; 97541: jal link, 97540f; CHECK_LINK(link)

/* jalr link, imm(base) with base = target + delta */
#define TEST_JALR(link, base, delta, imm) \
    la base, 97540f + (delta); addi gp, gp, 1; 97541: jalr link, imm(base); CHECK_LINK(link)

TEST_BEGIN

    /* jal forward and backward, with a link register and with x0 */
    TEST_JAL(a5)
    TEST_JAL(ra)
    TEST_JAL(t6)
    addi gp, gp, 1
    j 1f
    jal t0, fail
1:  jal x0, 2f
    jal t0, fail
3:  li a4, 33
    j 4f
2:  jal a5, 3b
    jal t0, fail
4:  CHECK(a4, 33)
    la a6, 2b + 4
    CHECK_REG(a5, a6)

    /* jalr with an immediate that is a multiple of 4 */
    TEST_JALR(a5, a1, 0, 0)
    TEST_JALR(a5, a1, -8, 8)
    TEST_JALR(a5, a1, +2048, -2048)
    TEST_JALR(a5, a1, -2044, 2044)
    /* ... with an odd base: bit 0 of the sum is cleared */
    TEST_JALR(a5, a1, +1, 0)
    TEST_JALR(a5, a1, -3, 4)
    /* ... with an odd immediate or one that is 2 mod 4 */
    TEST_JALR(a5, a1, -1, 1)
    TEST_JALR(a5, a1, +2, -1)
    TEST_JALR(a5, a1, -2, 3)
    TEST_JALR(a5, a1, -2, 2)
    TEST_JALR(a5, a1, +2, -2)
    TEST_JALR(a5, a1, -2046, 2047)
    TEST_JALR(a5, a1, +2047, -2047)
    /* ... with rd == rs1: the target uses the old value */
    TEST_JALR(a1, a1, 0, 0)
    TEST_JALR(a1, a1, -4, 4)
    TEST_JALR(a1, a1, -3, 3)
    TEST_JALR(a1, a1, +6, -6)
    TEST_JALR(ra, ra, 0, 0)
    /* ... with rd == x0 */
    addi gp, gp, 1
    la a1, 1f - 1
    jalr x0, 1(a1)
    jal t0, fail
1:  CHECK(x0, 0)
    la a1, 1f
    jalr x0, 0(a1)
    jal t0, fail
1:  la a1, 1f + 3
    jalr x0, -2(a1)
    jal t0, fail
1:
    /* call and return through ra */
    li a4, 0
    call func
    CHECK(a4, 7)
    li a4, 0
    jal ra, func
    CHECK(a4, 7)
    la a1, func
    jalr a1
    CHECK(a4, 14)

    /* beq / bne */
    TEST_BR_TAKEN(beq, 0, 0)
    TEST_BR_TAKEN(beq, -1, -1)
    TEST_BR_TAKEN(beq, 0x8000000000000000, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(beq, 0, 1)
    TEST_BR_NOT_TAKEN(beq, 1, 0)
    TEST_BR_NOT_TAKEN(beq, -1, 0x00000000ffffffff)
    TEST_BR_NOT_TAKEN(beq, 0x0000000100000000, 0)
    TEST_BR_TAKEN(bne, 0, 1)
    TEST_BR_TAKEN(bne, -1, 0x00000000ffffffff)
    TEST_BR_TAKEN(bne, 0x0000000100000000, 0)
    TEST_BR_NOT_TAKEN(bne, 0, 0)
    TEST_BR_NOT_TAKEN(bne, -1, -1)

    /* blt / bge: signed */
    TEST_BR_TAKEN(blt, 0, 1)
    TEST_BR_TAKEN(blt, -1, 1)
    TEST_BR_TAKEN(blt, -2, -1)
    TEST_BR_TAKEN(blt, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_TAKEN(blt, 0x8000000000000000, 0)
    TEST_BR_NOT_TAKEN(blt, 1, 0)
    TEST_BR_NOT_TAKEN(blt, 1, -1)
    TEST_BR_NOT_TAKEN(blt, -1, -2)
    TEST_BR_NOT_TAKEN(blt, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(blt, 5, 5)
    TEST_BR_NOT_TAKEN(blt, 0x00000000ffffffff, 0x0000000080000000)
    TEST_BR_TAKEN(bge, 0, 0)
    TEST_BR_TAKEN(bge, 1, 0)
    TEST_BR_TAKEN(bge, -1, -2)
    TEST_BR_TAKEN(bge, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(bge, 0, 0x8000000000000000)
    TEST_BR_NOT_TAKEN(bge, 0, 1)
    TEST_BR_NOT_TAKEN(bge, -1, 1)
    TEST_BR_NOT_TAKEN(bge, 0x8000000000000000, 0x7fffffffffffffff)

    /* bltu / bgeu: unsigned */
    TEST_BR_TAKEN(bltu, 0, 1)
    TEST_BR_TAKEN(bltu, 1, -1)
    TEST_BR_TAKEN(bltu, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_BR_TAKEN(bltu, 0xfffffffffffffffe, 0xffffffffffffffff)
    TEST_BR_NOT_TAKEN(bltu, 1, 0)
    TEST_BR_NOT_TAKEN(bltu, -1, 1)
    TEST_BR_NOT_TAKEN(bltu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT_TAKEN(bltu, 7, 7)
    TEST_BR_TAKEN(bgeu, 0, 0)
    TEST_BR_TAKEN(bgeu, 1, 0)
    TEST_BR_TAKEN(bgeu, -1, 1)
    TEST_BR_TAKEN(bgeu, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_BR_NOT_TAKEN(bgeu, 0, 1)
    TEST_BR_NOT_TAKEN(bgeu, 1, -1)
    TEST_BR_NOT_TAKEN(bgeu, 0x7fffffffffffffff, 0x8000000000000000)

    /* x0 and the same register as operands */
    addi gp, gp, 1
    li a1, -1
    bltz a1, 1f
    jal t0, fail
1:  bgez a1, 2f
    beqz x0, 1f
2:  jal t0, fail
1:  bltu x0, a1, 1f
    jal t0, fail
1:  bltu a1, x0, 2f
    bgeu x0, x0, 1f
2:  jal t0, fail
1:  bne a1, a1, 2f
    blt a1, a1, 2f
    bltu a1, a1, 2f
    bge a1, a1, 1f
2:  jal t0, fail
1:  bgeu a1, a1, 1f
    jal t0, fail
1:  beq x0, x0, 1f
    jal t0, fail
1:
    /* backward branches: a counted loop */
    li a1, 10
    li a4, 0
1:  addi a4, a4, 3
    addi a1, a1, -1
    bnez a1, 1b
    CHECK(a4, 30)
    li a1, -5
    li a4, 0
1:  addi a4, a4, 1
    addi a1, a1, 1
    blt a1, x0, 1b
    CHECK(a4, 5)
    li a1, 0
    li a2, 0x8000000000000000
1:  addi a1, a1, 1
    srli a2, a2, 1
    bgeu a2, a1, 1b
    CHECK(a1, 58)

    /* a far branch and a far jal (several kilobytes) */
    addi gp, gp, 1
    beqz x0, far_target
    jal t0, fail
far_back:
    CHECK(a4, 0x55)
    j after_far

func:
    addi a4, a4, 7
    ret

TEST_END

    .text
    .skip 3000
far_target:
    li a4, 0x55
    jal x0, far_back_trampoline
    .skip 1000000
far_back_trampoline:
    j far_back_trampoline2
    .skip 40000
far_back_trampoline2:
    tail far_back
    .text
after_far:
    j pass
