/* RV64A: every AMO in .w and .d form (signed vs unsigned min/max on negative values, rd aliasing
   rs1 or rs2, x0 as rd or rs2) and LR/SC. The VM runs them as load-op-store; sc always succeeds. */
#include "test.h"
    .option norvc

/* amo<op>.w on a word preset to `mem0` whose upper neighbour is 0xcccccccc: rd gets the
   sign-extended old word, the word becomes `mem1`, the neighbour is untouched. */
#define TEST_AMO_W(inst, mem0, src, rd1, mem1) \
    la a1, amo_slot; li a3, mem0; sw a3, 0(a1); li a3, 0xcccccccc; sw a3, 4(a1); li a2, src; \
    inst a4, a2, (a1); CHECK(a4, rd1); lwu a5, 0(a1); CHECK(a5, mem1); \
    lwu a5, 4(a1); CHECK(a5, 0xcccccccc)

/* amo<op>.d on a doubleword preset to `mem0`. */
#define TEST_AMO_D(inst, mem0, src, mem1) \
    la a1, amo_slot; li a3, mem0; sd a3, 0(a1); li a2, src; \
    inst a4, a2, (a1); CHECK(a4, mem0); ld a5, 0(a1); CHECK(a5, mem1)

TEST_BEGIN

    /* amoswap.w / amoswap.d */
    TEST_AMO_W(amoswap.w, 0x5, 0x3, 0x5, 0x3)
    TEST_AMO_W(amoswap.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0x3)
    TEST_AMO_W(amoswap.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(amoswap.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(amoswap.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x80000000)
    TEST_AMO_W(amoswap.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x1)
    TEST_AMO_W(amoswap.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amoswap.d, 0x5, 0x3, 0x3)
    TEST_AMO_D(amoswap.d, 0xfffffffffffffffb, 0x3, 0x3)
    TEST_AMO_D(amoswap.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(amoswap.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(amoswap.d, 0x123456789abcdef0, 0xfedcba987654321, 0xfedcba987654321)
    TEST_AMO_D(amoswap.d, 0xffffffff, 0xffffffff00000000, 0xffffffff00000000)
    /* amoadd.w / amoadd.d */
    TEST_AMO_W(amoadd.w, 0x5, 0x3, 0x5, 0x8)
    TEST_AMO_W(amoadd.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0xfffffffe)
    TEST_AMO_W(amoadd.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(amoadd.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x0)
    TEST_AMO_W(amoadd.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0xffffffff)
    TEST_AMO_W(amoadd.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x12345679)
    TEST_AMO_W(amoadd.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amoadd.d, 0x5, 0x3, 0x8)
    TEST_AMO_D(amoadd.d, 0xfffffffffffffffb, 0x3, 0xfffffffffffffffe)
    TEST_AMO_D(amoadd.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(amoadd.d, 0xffffffffffffffff, 0x1, 0x0)
    TEST_AMO_D(amoadd.d, 0x123456789abcdef0, 0xfedcba987654321, 0x2222222222222211)
    TEST_AMO_D(amoadd.d, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)
    /* amoxor.w / amoxor.d */
    TEST_AMO_W(amoxor.w, 0x5, 0x3, 0x5, 0x6)
    TEST_AMO_W(amoxor.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0xfffffff8)
    TEST_AMO_W(amoxor.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(amoxor.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xfffffffe)
    TEST_AMO_W(amoxor.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0xffffffff)
    TEST_AMO_W(amoxor.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x12345679)
    TEST_AMO_W(amoxor.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amoxor.d, 0x5, 0x3, 0x6)
    TEST_AMO_D(amoxor.d, 0xfffffffffffffffb, 0x3, 0xfffffffffffffff8)
    TEST_AMO_D(amoxor.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(amoxor.d, 0xffffffffffffffff, 0x1, 0xfffffffffffffffe)
    TEST_AMO_D(amoxor.d, 0x123456789abcdef0, 0xfedcba987654321, 0x1dd99dd11dd99dd1)
    TEST_AMO_D(amoxor.d, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)
    /* amoand.w / amoand.d */
    TEST_AMO_W(amoand.w, 0x5, 0x3, 0x5, 0x1)
    TEST_AMO_W(amoand.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0x3)
    TEST_AMO_W(amoand.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x0)
    TEST_AMO_W(amoand.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(amoand.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x0)
    TEST_AMO_W(amoand.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x0)
    TEST_AMO_W(amoand.w, 0x0, 0xffffffffffffffff, 0x0, 0x0)
    TEST_AMO_D(amoand.d, 0x5, 0x3, 0x1)
    TEST_AMO_D(amoand.d, 0xfffffffffffffffb, 0x3, 0x3)
    TEST_AMO_D(amoand.d, 0x8000000000000000, 0x7fffffffffffffff, 0x0)
    TEST_AMO_D(amoand.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(amoand.d, 0x123456789abcdef0, 0xfedcba987654321, 0x224422882244220)
    TEST_AMO_D(amoand.d, 0xffffffff, 0xffffffff00000000, 0x0)
    /* amoor.w / amoor.d */
    TEST_AMO_W(amoor.w, 0x5, 0x3, 0x5, 0x7)
    TEST_AMO_W(amoor.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0xfffffffb)
    TEST_AMO_W(amoor.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff)
    TEST_AMO_W(amoor.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(amoor.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0xffffffff)
    TEST_AMO_W(amoor.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x12345679)
    TEST_AMO_W(amoor.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amoor.d, 0x5, 0x3, 0x7)
    TEST_AMO_D(amoor.d, 0xfffffffffffffffb, 0x3, 0xfffffffffffffffb)
    TEST_AMO_D(amoor.d, 0x8000000000000000, 0x7fffffffffffffff, 0xffffffffffffffff)
    TEST_AMO_D(amoor.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(amoor.d, 0x123456789abcdef0, 0xfedcba987654321, 0x1ffddff99ffddff1)
    TEST_AMO_D(amoor.d, 0xffffffff, 0xffffffff00000000, 0xffffffffffffffff)
    /* amomin.w / amomin.d */
    TEST_AMO_W(amomin.w, 0x5, 0x3, 0x5, 0x3)
    TEST_AMO_W(amomin.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0xfffffffb)
    TEST_AMO_W(amomin.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x80000000)
    TEST_AMO_W(amomin.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(amomin.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x80000000)
    TEST_AMO_W(amomin.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x1)
    TEST_AMO_W(amomin.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amomin.d, 0x5, 0x3, 0x3)
    TEST_AMO_D(amomin.d, 0xfffffffffffffffb, 0x3, 0xfffffffffffffffb)
    TEST_AMO_D(amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_AMO_D(amomin.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(amomin.d, 0x123456789abcdef0, 0xfedcba987654321, 0xfedcba987654321)
    TEST_AMO_D(amomin.d, 0xffffffff, 0xffffffff00000000, 0xffffffff00000000)
    /* amomax.w / amomax.d */
    TEST_AMO_W(amomax.w, 0x5, 0x3, 0x5, 0x5)
    TEST_AMO_W(amomax.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0x3)
    TEST_AMO_W(amomax.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(amomax.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(amomax.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x7fffffff)
    TEST_AMO_W(amomax.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x12345678)
    TEST_AMO_W(amomax.w, 0x0, 0xffffffffffffffff, 0x0, 0x0)
    TEST_AMO_D(amomax.d, 0x5, 0x3, 0x5)
    TEST_AMO_D(amomax.d, 0xfffffffffffffffb, 0x3, 0x3)
    TEST_AMO_D(amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(amomax.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(amomax.d, 0x123456789abcdef0, 0xfedcba987654321, 0x123456789abcdef0)
    TEST_AMO_D(amomax.d, 0xffffffff, 0xffffffff00000000, 0xffffffff)
    /* amominu.w / amominu.d */
    TEST_AMO_W(amominu.w, 0x5, 0x3, 0x5, 0x3)
    TEST_AMO_W(amominu.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0x3)
    TEST_AMO_W(amominu.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
    TEST_AMO_W(amominu.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0x1)
    TEST_AMO_W(amominu.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x7fffffff)
    TEST_AMO_W(amominu.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x1)
    TEST_AMO_W(amominu.w, 0x0, 0xffffffffffffffff, 0x0, 0x0)
    TEST_AMO_D(amominu.d, 0x5, 0x3, 0x3)
    TEST_AMO_D(amominu.d, 0xfffffffffffffffb, 0x3, 0x3)
    TEST_AMO_D(amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
    TEST_AMO_D(amominu.d, 0xffffffffffffffff, 0x1, 0x1)
    TEST_AMO_D(amominu.d, 0x123456789abcdef0, 0xfedcba987654321, 0xfedcba987654321)
    TEST_AMO_D(amominu.d, 0xffffffff, 0xffffffff00000000, 0xffffffff)
    /* amomaxu.w / amomaxu.d */
    TEST_AMO_W(amomaxu.w, 0x5, 0x3, 0x5, 0x5)
    TEST_AMO_W(amomaxu.w, 0xfffffffb, 0x3, 0xfffffffffffffffb, 0xfffffffb)
    TEST_AMO_W(amomaxu.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x80000000)
    TEST_AMO_W(amomaxu.w, 0xffffffff, 0x1, 0xffffffffffffffff, 0xffffffff)
    TEST_AMO_W(amomaxu.w, 0x7fffffff, 0x1234567880000000, 0x7fffffff, 0x80000000)
    TEST_AMO_W(amomaxu.w, 0x12345678, 0xfedcba9800000001, 0x12345678, 0x12345678)
    TEST_AMO_W(amomaxu.w, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff)
    TEST_AMO_D(amomaxu.d, 0x5, 0x3, 0x5)
    TEST_AMO_D(amomaxu.d, 0xfffffffffffffffb, 0x3, 0xfffffffffffffffb)
    TEST_AMO_D(amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_AMO_D(amomaxu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff)
    TEST_AMO_D(amomaxu.d, 0x123456789abcdef0, 0xfedcba987654321, 0x123456789abcdef0)
    TEST_AMO_D(amomaxu.d, 0xffffffff, 0xffffffff00000000, 0xffffffff00000000)

    /* ordering bits do not change the result */
    TEST_AMO_W(amoadd.w.aq, 1, 2, 1, 3)
    TEST_AMO_W(amoadd.w.rl, 1, 2, 1, 3)
    TEST_AMO_D(amoadd.d.aqrl, 1, 2, 3)

    /* rd == rs2: rd gets the old value, memory gets old op rs2 */
    la a1, amo_slot
    li a3, 100
    sd a3, 0(a1)
    li a2, 23
    amoadd.d a2, a2, (a1)
    CHECK(a2, 100)
    ld a5, 0(a1)
    CHECK(a5, 123)
    li a2, -7
    amoswap.d a2, a2, (a1)
    CHECK(a2, 123)
    ld a5, 0(a1)
    CHECK(a5, -7)
    li a3, 0x80000000
    sw a3, 0(a1)
    li a2, 5
    amomin.w a2, a2, (a1)
    CHECK(a2, 0xffffffff80000000)
    lwu a5, 0(a1)
    CHECK(a5, 0x80000000)
    li a2, 5
    amominu.w a2, a2, (a1)
    CHECK(a2, 0xffffffff80000000)
    lwu a5, 0(a1)
    CHECK(a5, 5)

    /* rd == rs1: rd gets the old value, memory at the original address is updated */
    la a1, amo_slot
    mv a3, a1
    li a5, 40
    sd a5, 0(a1)
    li a2, 2
    amoadd.d a1, a2, (a1)
    CHECK(a1, 40)
    ld a5, 0(a3)
    CHECK(a5, 42)
    mv a1, a3
    li a5, -1
    sw a5, 0(a1)
    li a2, 0x7fffffff
    amomaxu.w a1, a2, (a1)
    CHECK(a1, -1)
    lwu a5, 0(a3)
    CHECK(a5, 0xffffffff)
    mv a1, a3
    li a2, 0x7fffffff
    amomax.w a1, a2, (a1)
    CHECK(a1, -1)
    lwu a5, 0(a3)
    CHECK(a5, 0x7fffffff)

    /* rd == rs1 == rs2: the address itself is the operand */
    la a1, amo_slot
    mv a3, a1
    sd x0, 0(a1)
    amoor.d a1, a1, (a1)
    CHECK(a1, 0)
    ld a5, 0(a3)
    CHECK_REG(a5, a3)

    /* rd == x0: memory is updated, x0 stays 0 */
    la a1, amo_slot
    li a5, 10
    sd a5, 0(a1)
    li a2, 5
    amoadd.d x0, a2, (a1)
    CHECK(x0, 0)
    ld a5, 0(a1)
    CHECK(a5, 15)
    amoxor.w x0, a2, (a1)
    lwu a5, 0(a1)
    CHECK(a5, 10)

    /* rs2 == x0 */
    la a1, amo_slot
    li a5, -3
    sd a5, 0(a1)
    amoswap.d a4, x0, (a1)
    CHECK(a4, -3)
    ld a5, 0(a1)
    CHECK(a5, 0)
    li a5, -3
    sd a5, 0(a1)
    amomax.d a4, x0, (a1)
    CHECK(a4, -3)
    ld a5, 0(a1)
    CHECK(a5, 0)
    li a5, -3
    sw a5, 0(a1)
    amominu.w a4, x0, (a1)
    CHECK(a4, -3)
    lwu a5, 0(a1)
    CHECK(a5, 0)

    /* AMOs on a slot that is not the first word of the buffer */
    la a1, amo_slot + 8
    li a5, 0x1111111122222222
    sd a5, 0(a1)
    li a2, 0x0000000100000001
    addi a3, a1, 4
    amoadd.w a4, a2, (a3)
    CHECK(a4, 0x11111111)
    ld a5, 0(a1)
    CHECK(a5, 0x1111111222222222)

    /* lr.w sign-extends; sc.w writes 0 to rd on success and stores the low word */
    la a1, amo_slot
    li a5, 0x00000000fedcba98
    sd a5, 0(a1)
    lr.w a4, (a1)
    CHECK(a4, 0xfffffffffedcba98)
    li a2, 0x1234567887654321
    sc.w a4, a2, (a1)
    CHECK(a4, 0)
    ld a5, 0(a1)
    CHECK(a5, 0x0000000087654321)

    /* lr.d / sc.d */
    li a5, 0x8000000000000001
    sd a5, 0(a1)
    lr.d a4, (a1)
    CHECK(a4, 0x8000000000000001)
    li a2, 0x0123456789abcdef
    sc.d a4, a2, (a1)
    CHECK(a4, 0)
    ld a5, 0(a1)
    CHECK(a5, 0x0123456789abcdef)

    /* sc with rd == rs2 and rd == rs1 */
    lr.d a4, (a1)
    li a2, 77
    sc.d a2, a2, (a1)
    CHECK(a2, 0)
    ld a5, 0(a1)
    CHECK(a5, 77)
    mv a3, a1
    lr.d a4, (a1)
    li a2, 78
    sc.d a1, a2, (a1)
    CHECK(a1, 0)
    ld a5, 0(a3)
    CHECK(a5, 78)
    mv a1, a3

    /* sc with rd == x0; lr with rd == x0 */
    lr.w a4, (a1)
    li a2, 79
    sc.w x0, a2, (a1)
    CHECK(x0, 0)
    lwu a5, 0(a1)
    CHECK(a5, 79)
    lr.d x0, (a1)
    CHECK(x0, 0)

    /* lr/sc loop as compilers emit it for a compare-and-swap */
    li a5, 5
    sd a5, 0(a1)
    li a2, 5
    li a3, 9
1:  lr.d.aqrl a4, (a1)
    bne a4, a2, 2f
    sc.d.rl a6, a3, (a1)
    bnez a6, 1b
2:  CHECK(a4, 5)
    ld a5, 0(a1)
    CHECK(a5, 9)

TEST_END

    .data
    .balign 16
amo_slot:
    .skip 32
