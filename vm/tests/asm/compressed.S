/* RV64C: every compressed instruction written with its explicit c.* mnemonic (and the harness
   macros, which the assembler also compresses where it can). */
#include "test.h"
    .option rvc
TEST_BEGIN
    la sp, stack_mid

    /* c.addi4spn: rd' = sp + nzuimm (multiple of 4, up to 1020) */
    c.addi4spn a0, sp, 4
    addi a4, sp, 4
    CHECK_REG(a0, a4)
    c.addi4spn s1, sp, 1020
    addi a4, sp, 1020
    CHECK_REG(s1, a4)

    /* c.sw / c.lw (sign-extending), c.sd / c.ld */
    la a1, buf
    li a2, 0x12345678fedcba98
    c.sw a2, 4(a1)
    c.lw a4, 4(a1)
    CHECK(a4, 0xfffffffffedcba98)
    c.sd a2, 8(a1)
    c.ld a4, 8(a1)
    CHECK(a4, 0x12345678fedcba98)
    li a3, 0x7fffffff
    c.sw a3, 124(a1)
    c.lw a5, 124(a1)
    CHECK(a5, 0x7fffffff)
    c.sd a2, 248(a1)
    c.ld a5, 248(a1)
    CHECK(a5, 0x12345678fedcba98)
    c.lw a4, 0(a1)
    CHECK(a4, 0)
    /* c.ld with rd == rs1 */
    la a1, buf
    c.ld a1, 8(a1)
    CHECK(a1, 0x12345678fedcba98)

    /* c.swsp / c.lwsp, c.sdsp / c.ldsp */
    li a2, 0x00000000a5a5a5a5
    c.swsp a2, 0(sp)
    c.lwsp a4, 0(sp)
    CHECK(a4, 0xffffffffa5a5a5a5)
    c.swsp a2, 252(sp)
    c.lwsp t3, 252(sp)
    CHECK(t3, 0xffffffffa5a5a5a5)
    li a2, 0x8000000000000001
    c.sdsp a2, 8(sp)
    c.ldsp a4, 8(sp)
    CHECK(a4, 0x8000000000000001)
    c.sdsp a2, 504(sp)
    c.ldsp s2, 504(sp)
    CHECK(s2, 0x8000000000000001)
    c.lwsp a4, 8(sp)
    CHECK(a4, 1)
    c.lwsp a4, 12(sp)
    CHECK(a4, 0xffffffff80000000)

    /* c.addi (6-bit signed immediate), c.nop */
    li a4, 10
    c.addi a4, -32
    CHECK(a4, -22)
    c.addi a4, 31
    CHECK(a4, 9)
    li a4, -1
    c.addi a4, 1
    CHECK(a4, 0)
    li a4, 0x7fffffffffffffff
    c.addi a4, 1
    CHECK(a4, 0x8000000000000000)
    c.nop

    /* c.addiw: 32-bit add, sign-extended (imm 0 is sext.w) */
    li a4, 0x7fffffff
    c.addiw a4, 1
    CHECK(a4, 0xffffffff80000000)
    li a4, 0x1234567800000001
    c.addiw a4, -2
    CHECK(a4, -1)
    li a4, 0x00000000ffffffff
    c.addiw a4, 0
    CHECK(a4, -1)

    /* c.li */
    c.li a4, -32
    CHECK(a4, -32)
    c.li a4, 31
    CHECK(a4, 31)
    c.li a4, 0
    CHECK(a4, 0)

    /* c.lui: nzimm[17:12], sign-extended from bit 17 */
    c.lui a4, 1
    CHECK(a4, 0x1000)
    c.lui a4, 0x1f
    CHECK(a4, 0x1f000)
    c.lui a4, 0xfffe0
    CHECK(a4, 0xfffffffffffe0000)
    c.lui a4, 0xfffff
    CHECK(a4, 0xfffffffffffff000)

    /* c.addi16sp: sp += nzimm (multiple of 16, -512..496) */
    mv a5, sp
    c.addi16sp sp, -512
    addi a4, a5, -512
    CHECK_REG(sp, a4)
    c.addi16sp sp, 496
    addi a4, a5, -16
    CHECK_REG(sp, a4)
    c.addi16sp sp, 16
    CHECK_REG(sp, a5)

    /* c.srli / c.srai / c.andi on x8..x15 */
    li a1, 0x8000000000000000
    c.srli a1, 63
    CHECK(a1, 1)
    li a1, 0x8000000000000000
    c.srli a1, 32
    CHECK(a1, 0x80000000)
    li a1, -1
    c.srli a1, 1
    CHECK(a1, 0x7fffffffffffffff)
    li a1, 0x8000000000000000
    c.srai a1, 63
    CHECK(a1, -1)
    li a1, 0x8000000000000000
    c.srai a1, 32
    CHECK(a1, 0xffffffff80000000)
    li a1, 0x4000000000000000
    c.srai a1, 1
    CHECK(a1, 0x2000000000000000)
    li a1, 0x123456789abcdef0
    c.andi a1, -16
    CHECK(a1, 0x123456789abcdef0)
    li a1, 0x123456789abcdeff
    c.andi a1, 31
    CHECK(a1, 0x1f)
    li a1, -1
    c.andi a1, -32
    CHECK(a1, 0xffffffffffffffe0)
    li a1, -1
    c.andi a1, 0
    CHECK(a1, 0)

    /* c.slli (any register) */
    li a4, 1
    c.slli a4, 63
    CHECK(a4, 0x8000000000000000)
    li t4, 0x12345678
    c.slli t4, 32
    CHECK(t4, 0x1234567800000000)
    li a4, 3
    c.slli a4, 1
    CHECK(a4, 6)

    /* c.sub / c.xor / c.or / c.and / c.subw / c.addw on x8..x15 */
    li s0, 5
    li s1, 7
    c.sub s0, s1
    CHECK(s0, -2)
    li s0, 0x8000000000000000
    li s1, 1
    c.sub s0, s1
    CHECK(s0, 0x7fffffffffffffff)
    li a0, 0xff00ff00ff00ff00
    li a5, 0x0f0f0f0f0f0f0f0f
    c.xor a0, a5
    CHECK(a0, 0xf00ff00ff00ff00f)
    li a0, 0xff00ff00ff00ff00
    c.or a0, a5
    CHECK(a0, 0xff0fff0fff0fff0f)
    li a0, 0xff00ff00ff00ff00
    c.and a0, a5
    CHECK(a0, 0x0f000f000f000f00)
    li a2, 0x0000000080000000
    li a3, 1
    c.subw a2, a3
    CHECK(a2, 0x7fffffff)
    li a2, 0x1234567800000000
    li a3, 1
    c.subw a2, a3
    CHECK(a2, -1)
    li a2, 0x7fffffff
    li a3, 1
    c.addw a2, a3
    CHECK(a2, 0xffffffff80000000)
    li a2, 0xffffffff00000005
    li a3, 0x00000001fffffffd
    c.addw a2, a3
    CHECK(a2, 2)
    li a2, 9
    c.addw a2, a2
    CHECK(a2, 18)

    /* c.mv / c.add */
    li a1, 0x1122334455667788
    c.mv a4, a1
    CHECK(a4, 0x1122334455667788)
    c.mv t5, a1
    CHECK(t5, 0x1122334455667788)
    li a4, -1
    c.add a4, a1
    CHECK(a4, 0x1122334455667787)
    c.add a1, a1
    CHECK(a1, 0x22446688aaccef10)

    /* c.j forward and backward */
    addi gp, gp, 1
    c.j 2f
    jal t0, fail
1:  li a4, 42
    c.j 3f
2:  c.j 1b
    jal t0, fail
3:  CHECK(a4, 42)

    /* c.beqz / c.bnez taken and not taken */
    addi gp, gp, 1
    li a1, 0
    c.beqz a1, 1f
    jal t0, fail
1:  c.bnez a1, 2f
    li a1, -1
    c.bnez a1, 1f
2:  jal t0, fail
1:  c.beqz a1, 2b
    li s0, 0x100000000
    c.beqz s0, 2b
    c.bnez s0, 1f
    jal t0, fail
1:  li a1, 3
    li a4, 0
1:  c.addi a4, 2
    c.addi a1, -1
    c.bnez a1, 1b
    CHECK(a4, 6)

    /* c.jr / c.jalr (ra = pc + 2) */
    addi gp, gp, 1
    la a1, 1f
    c.jr a1
    jal t0, fail
1:  la a1, cfunc
    li a4, 0
2:  c.jalr a1
    CHECK(a4, 5)
    la a5, 2b + 2
    mv a6, ra
    CHECK_REG(a6, a5)
    la ra, cfunc
    li a4, 0
2:  c.jalr ra
    CHECK(a4, 5)
    la a5, 2b + 2
    mv a6, ra
    CHECK_REG(a6, a5)
    /* c.jr to a 4-byte instruction at a 2-byte aligned address */
    la a1, unaligned_target
    li a4, 0
    c.jr a1
unaligned_back:
    CHECK(a4, 0x12345)

    /* c.ebreak is a nop in the VM (a trap under Linux) */
    ON_ZISK(c.ebreak)
    ON_ZISK(ebreak)
    li a4, 1
    CHECK(a4, 1)

TEST_END

    .text
    .balign 4
    c.nop
unaligned_target:
    li a4, 0x12345
    .option norvc
    lui a5, 1
    .option rvc
    j unaligned_back

cfunc:
    c.li a4, 5
    c.jr ra

    .bss
    .balign 16
stack:
    .skip 1024
stack_mid:
    .skip 1024
buf:
    .skip 512
