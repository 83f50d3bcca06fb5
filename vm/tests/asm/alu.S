/* RV64I register-register and register-immediate ALU instructions, lui and auipc. */
#include "test.h"
    .option norvc
TEST_BEGIN

    /* add */
    TEST_RR(add, 0, 0, 0)
    TEST_RR(add, 2, 1, 1)
    TEST_RR(add, 0x8000000000000000, 0x7fffffffffffffff, 1)
    TEST_RR(add, 0, -1, 1)
    TEST_RR(add, 0xfffffffffffffffe, -1, -1)
    TEST_RR(add, 0x0000000100000000, 0xffffffff, 1)
    TEST_RR(add, 0x7fffffffffffffff, 0x8000000000000000, -1)
    TEST_RR_RD_RS1(add, 24, 13, 11)
    TEST_RR_RD_RS2(add, 25, 14, 11)
    TEST_RR_SAME(add, 26, 13)
    TEST_RR_ZERO1(add, 15, 15)
    TEST_RR_ZERO2(add, 32, 32)
    TEST_RR_ZERODEST(add, 11, 22)

    /* sub */
    TEST_RR(sub, 0, 0, 0)
    TEST_RR(sub, 0xffffffffffffffff, 0, 1)
    TEST_RR(sub, 0x7fffffffffffffff, 0x8000000000000000, 1)
    TEST_RR(sub, 0x8000000000000001, 0, 0x7fffffffffffffff)
    TEST_RR(sub, 0x8000000000000000, 0, 0x8000000000000000)
    TEST_RR_RD_RS1(sub, 2, 13, 11)
    TEST_RR_RD_RS2(sub, 3, 14, 11)
    TEST_RR_SAME(sub, 0, 13)
    TEST_RR_ZERO1(sub, -15, 15)
    TEST_RR_ZERO2(sub, 32, 32)
    TEST_RR_ZERODEST(sub, 11, 22)

    /* sll: only the low 6 bits of rs2 count */
    TEST_RR(sll, 0x0000000000000001, 1, 0)
    TEST_RR(sll, 0x0000000000000002, 1, 1)
    TEST_RR(sll, 0x0000000080000000, 1, 31)
    TEST_RR(sll, 0x0000000100000000, 1, 32)
    TEST_RR(sll, 0x8000000000000000, 1, 63)
    TEST_RR(sll, 0xffffffffffffffff, -1, 0)
    TEST_RR(sll, 0x8000000000000000, -1, 63)
    TEST_RR(sll, 0x2121212121212121, 0x2121212121212121, 64)
    TEST_RR(sll, 0x4242424242424242, 0x2121212121212121, 65)
    TEST_RR(sll, 0x4242424200000000, 0x2121212121212121, -31)
    TEST_RR_SAME(sll, 0x0000000000000018, 3)
    TEST_RR_ZERO1(sll, 0, 5)
    TEST_RR_ZERO2(sll, 0x1234, 0x1234)
    TEST_RR_ZERODEST(sll, 1, 3)

    /* srl */
    TEST_RR(srl, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR(srl, 0x4000000000000000, 0x8000000000000000, 1)
    TEST_RR(srl, 0x0000000100000000, 0x8000000000000000, 31)
    TEST_RR(srl, 0x0000000080000000, 0x8000000000000000, 32)
    TEST_RR(srl, 0x0000000000000001, 0x8000000000000000, 63)
    TEST_RR(srl, 0x00000001ffffffff, -1, 31)
    TEST_RR(srl, 0x0000000000000001, -1, 63)
    TEST_RR(srl, 0x2121212121212121, 0x2121212121212121, 64)
    TEST_RR(srl, 0x0000000010909090, 0x2121212121212121, -31)
    TEST_RR_ZERO1(srl, 0, 5)
    TEST_RR_ZERO2(srl, 0x1234, 0x1234)
    TEST_RR_ZERODEST(srl, 1, 3)

    /* sra */
    TEST_RR(sra, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RR(sra, 0xc000000000000000, 0x8000000000000000, 1)
    TEST_RR(sra, 0xffffffff00000000, 0x8000000000000000, 31)
    TEST_RR(sra, 0xffffffff80000000, 0x8000000000000000, 32)
    TEST_RR(sra, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RR(sra, 0x0000000000000000, 0x7fffffffffffffff, 63)
    TEST_RR(sra, 0x00000000ffffffff, 0x7fffffffffffffff, 31)
    TEST_RR(sra, 0x8181818181818181, 0x8181818181818181, 64)
    TEST_RR(sra, 0xffffffffc0c0c0c0, 0x8181818181818181, -31)
    TEST_RR_ZERO1(sra, 0, 5)
    TEST_RR_ZERODEST(sra, -1, 3)

    /* slt / sltu */
    TEST_RR(slt, 0, 0, 0)
    TEST_RR(slt, 0, 1, 1)
    TEST_RR(slt, 1, 3, 7)
    TEST_RR(slt, 0, 7, 3)
    TEST_RR(slt, 1, 0x8000000000000000, 0)
    TEST_RR(slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_RR(slt, 1, 0x8000000000000000, 0x7fffffffffffffff)
    TEST_RR(slt, 1, -1, 0)
    TEST_RR(slt, 0, 0, -1)
    TEST_RR_SAME(slt, 0, -5)
    TEST_RR_ZERO1(slt, 1, 1)
    TEST_RR_ZERO1(slt, 0, -1)
    TEST_RR_ZERO2(slt, 1, -1)
    TEST_RR_ZERODEST(slt, 1, 2)
    TEST_RR(sltu, 0, 0, 0)
    TEST_RR(sltu, 1, 3, 7)
    TEST_RR(sltu, 0, 7, 3)
    TEST_RR(sltu, 0, 0x8000000000000000, 0)
    TEST_RR(sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
    TEST_RR(sltu, 0, -1, 0)
    TEST_RR(sltu, 1, 0, -1)
    TEST_RR(sltu, 1, 0xfffffffffffffffe, -1)
    TEST_RR_SAME(sltu, 0, -5)
    TEST_RR_ZERO1(sltu, 1, 1)
    TEST_RR_ZERO1(sltu, 0, 0)
    TEST_RR_ZERO2(sltu, 0, -1)
    TEST_RR_ZERODEST(sltu, 1, 2)

    /* xor / or / and */
    TEST_RR(xor, 0xf00ff00ff00ff00f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(xor, 0x0ff00ff00ff00ff0, 0x00ff00ff00ff00ff, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(xor, 0, -1, -1)
    TEST_RR_SAME(xor, 0, 0x1234)
    TEST_RR_ZERO1(xor, 0x1234, 0x1234)
    TEST_RR_ZERO2(xor, -7, -7)
    TEST_RR_ZERODEST(xor, 1, 2)
    TEST_RR(or, 0xff0fff0fff0fff0f, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(or, 0x0fff0fff0fff0fff, 0x00ff00ff00ff00ff, 0x0f0f0f0f0f0f0f0f)
    TEST_RR_SAME(or, 0x1234, 0x1234)
    TEST_RR_ZERO1(or, 0x1234, 0x1234)
    TEST_RR_ZERO2(or, -7, -7)
    TEST_RR_ZERODEST(or, 1, 2)
    TEST_RR(and, 0x0f000f000f000f00, 0xff00ff00ff00ff00, 0x0f0f0f0f0f0f0f0f)
    TEST_RR(and, 0x000f000f000f000f, 0x00ff00ff00ff00ff, 0x0f0f0f0f0f0f0f0f)
    TEST_RR_SAME(and, 0x1234, 0x1234)
    TEST_RR_ZERO1(and, 0, -1)
    TEST_RR_ZERO2(and, 0, -1)
    TEST_RR_ZERODEST(and, 3, 2)

    /* addi: 12-bit sign-extended immediate */
    TEST_RI(addi, 0, 0, 0)
    TEST_RI(addi, 2, 1, 1)
    TEST_RI(addi, 0x00000000000007ff, 0, 2047)
    TEST_RI(addi, 0xfffffffffffff800, 0, -2048)
    TEST_RI(addi, 0x8000000000000000, 0x7fffffffffffffff, 1)
    TEST_RI(addi, 0x7fffffffffffffff, 0x8000000000000000, -1)
    TEST_RI(addi, 0x0000000080000000, 0x7fffffff, 1)
    TEST_RI(addi, 0, -1, 1)
    TEST_RI(addi, 0x1234, 0x1234, 0)
    TEST_RI_SAME(addi, 24, 13, 11)
    TEST_RI_ZERO1(addi, -2048, -2048)
    TEST_RI_ZERO1(addi, 2047, 2047)
    TEST_RI_ZERODEST(addi, 13, 11)

    /* slti / sltiu: sltiu compares with the sign-extended immediate as unsigned */
    TEST_RI(slti, 0, 0, 0)
    TEST_RI(slti, 1, -1, 0)
    TEST_RI(slti, 0, 0, -1)
    TEST_RI(slti, 1, 0x8000000000000000, -2048)
    TEST_RI(slti, 0, 0x7fffffffffffffff, 2047)
    TEST_RI(slti, 1, -2049, -2048)
    TEST_RI_SAME(slti, 1, 10, 11)
    TEST_RI_ZERO1(slti, 1, 1)
    TEST_RI_ZERODEST(slti, 0, 1)
    TEST_RI(sltiu, 0, 0, 0)
    TEST_RI(sltiu, 1, 0, -1)
    TEST_RI(sltiu, 1, 0xfffffffffffffffe, -1)
    TEST_RI(sltiu, 0, -1, -1)
    TEST_RI(sltiu, 1, 0x7fffffffffffffff, -2048)
    TEST_RI(sltiu, 0, 0x8000000000000000, 2047)
    TEST_RI(sltiu, 1, 0, 1)
    TEST_RI(sltiu, 0, 1, 1)
    TEST_RI_SAME(sltiu, 1, 10, 11)
    TEST_RI_ZERO1(sltiu, 1, 1)
    TEST_RI_ZERO1(sltiu, 0, 0)
    TEST_RI_ZERODEST(sltiu, 0, 1)

    /* xori / ori / andi */
    TEST_RI(xori, 0xffffffffff00f00f, 0x0000000000ff0f00, -241)
    TEST_RI(xori, 0x0000000000ff0ff0, 0x0000000000ff0f0f, 0x0ff)
    TEST_RI(xori, 0x00ff0f0f, 0xffffffffff00f0f0, -1)
    TEST_RI(xori, 0x1234, 0x1234, 0)
    TEST_RI_SAME(xori, 0xffffffffff00f00f, 0x0000000000ff0f00, -241)
    TEST_RI_ZERO1(xori, -2048, -2048)
    TEST_RI_ZERODEST(xori, 0x1234, 0x76)
    TEST_RI(ori, 0xffffffffffffff0f, 0xffffffffff00ff00, -241)
    TEST_RI(ori, 0x0000000000ff07ff, 0x0000000000ff00ff, 0x7ff)
    TEST_RI(ori, 0x1234, 0x1234, 0)
    TEST_RI_SAME(ori, 0x7ff, 0x00ff, 0x7ff)
    TEST_RI_ZERO1(ori, 0x7ff, 0x7ff)
    TEST_RI_ZERODEST(ori, 0x1234, 0x76)
    TEST_RI(andi, 0xffffffffff00ff00, 0xffffffffff00ff00, -241)
    TEST_RI(andi, 0x00000000000000f0, 0x000000000ff00ff0, 0x0f0)
    TEST_RI(andi, 0x0000000000000000, 0xffffffff00ff00ff, 0x700)
    TEST_RI(andi, 0x00000000000007ff, -1, 0x7ff)
    TEST_RI(andi, 0, -1, 0)
    TEST_RI_SAME(andi, 0x0f0, 0x0ff00ff0, 0x0f0)
    TEST_RI_ZERO1(andi, 0, -1)
    TEST_RI_ZERODEST(andi, -1, -1)

    /* slli / srli / srai: 6-bit shift amounts */
    TEST_RI(slli, 0x0000000000000001, 1, 0)
    TEST_RI(slli, 0x0000000080000000, 1, 31)
    TEST_RI(slli, 0x0000000100000000, 1, 32)
    TEST_RI(slli, 0x8000000000000000, 1, 63)
    TEST_RI(slli, 0x9090909080000000, 0x2121212121212121, 31)
    TEST_RI(slli, 0x2121212100000000, 0x2121212121212121, 32)
    TEST_RI_SAME(slli, 0x80, 1, 7)
    TEST_RI_ZERO1(slli, 0, 31)
    TEST_RI_ZERODEST(slli, 1, 1)
    TEST_RI(srli, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RI(srli, 0x0000000100000000, 0x8000000000000000, 31)
    TEST_RI(srli, 0x0000000080000000, 0x8000000000000000, 32)
    TEST_RI(srli, 0x0000000000000001, 0x8000000000000000, 63)
    TEST_RI(srli, 0x00000001ffffffff, -1, 31)
    TEST_RI(srli, 0x00000000ffffffff, -1, 32)
    TEST_RI_SAME(srli, 1, 0x80, 7)
    TEST_RI_ZERO1(srli, 0, 31)
    TEST_RI_ZERODEST(srli, -1, 1)
    TEST_RI(srai, 0x8000000000000000, 0x8000000000000000, 0)
    TEST_RI(srai, 0xffffffff00000000, 0x8000000000000000, 31)
    TEST_RI(srai, 0xffffffff80000000, 0x8000000000000000, 32)
    TEST_RI(srai, 0xffffffffffffffff, 0x8000000000000000, 63)
    TEST_RI(srai, 0x00000000ffffffff, 0x7fffffffffffffff, 31)
    TEST_RI(srai, 0x000000007fffffff, 0x7fffffffffffffff, 32)
    TEST_RI(srai, 0x0000000000000000, 0x7fffffffffffffff, 63)
    TEST_RI(srai, 0xffffffffffffffff, -1, 1)
    TEST_RI_SAME(srai, -1, -128, 7)
    TEST_RI_ZERO1(srai, 0, 31)
    TEST_RI_ZERODEST(srai, -1, 1)

    /* lui: the 20-bit immediate is shifted by 12 and sign-extended from bit 31 */
    lui a4, 0
    CHECK(a4, 0)
    lui a4, 0xfffff
    CHECK(a4, 0xfffffffffffff000)
    lui a4, 0x7ffff
    CHECK(a4, 0x000000007ffff000)
    lui a4, 0x80000
    CHECK(a4, 0xffffffff80000000)
    lui a4, 0x12345
    CHECK(a4, 0x0000000012345000)
    lui x0, 0x12345
    CHECK(x0, 0)

    /* auipc: pc + (imm << 12), sign-extended */
auipc_0:
    auipc a4, 0
    la a5, auipc_0
    CHECK_REG(a4, a5)
auipc_1:
    auipc a4, 0x1
    la a5, auipc_1
    li a6, 0x1000
    add a5, a5, a6
    CHECK_REG(a4, a5)
auipc_2:
    auipc a4, 0xfffff
    la a5, auipc_2
    addi a5, a5, -2048
    addi a5, a5, -2048
    CHECK_REG(a4, a5)
auipc_3:
    auipc a4, 0x80000
    la a5, auipc_3
    li a6, 0xffffffff80000000
    add a5, a5, a6
    CHECK_REG(a4, a5)
    auipc x0, 0x1
    CHECK(x0, 0)

    /* nop and hints writing x0 */
    nop
    addi x0, x0, 5
    slli x0, a1, 3
    CHECK(x0, 0)

TEST_END
