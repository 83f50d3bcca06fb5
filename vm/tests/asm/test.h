/*
 * Shared macros of the conformance programs (vm/tests/asm/*.S).
 *
 * Every program is a straight run of checks. Each check increments the check counter (gp),
 * compares a result register with the value the RISC-V ISA manual prescribes and, on a
 * mismatch, jumps to `fail` with t0 = address after the failing `jal`, t1 = actual value and
 * t2 = expected value. The report is eight u32 words:
 *
 *   [0] 0x600d (pass) or 0xbad (fail)   [1] checks run (pass) or failing check number (fail)
 *   [2..3] pc of the failing check      [4..5] actual value   [6..7] expected value
 *
 * Built for the ZisK VM (default) the words are the public output slots at 0xA001_0000 and the
 * program exits with `li a7, 93; ecall`. Built with -DQEMU (Linux user mode under qemu-riscv64)
 * the words are written to stdout with the `write` syscall, then `exit` is called.
 *
 * Registers reserved by the harness: gp (check counter), t0, t1, t2 (clobbered by every check).
 */
#ifndef ZISK_TEST_H
#define ZISK_TEST_H

#define PASS_MAGIC 0x600d
#define FAIL_MAGIC 0xbad

/* Compares `reg` with `expected` (any 64-bit constant). */
#define CHECK(reg, expected) \
    addi gp, gp, 1; \
    li t2, expected; \
    beq reg, t2, 97531f; \
    mv t1, reg; \
    jal t0, fail; \
97531:

/* Compares two registers. */
#define CHECK_REG(reg, other) \
    addi gp, gp, 1; \
    mv t2, other; \
    beq reg, t2, 97532f; \
    mv t1, reg; \
    jal t0, fail; \
97532:

/* Register-register operation: a4 = inst(a, b). */
#define TEST_RR(inst, expected, a, b) \
    li a1, a; li a2, b; inst a4, a1, a2; CHECK(a4, expected)

/* Register-register operation with rd == rs1. */
#define TEST_RR_RD_RS1(inst, expected, a, b) \
    li a1, a; li a2, b; inst a1, a1, a2; CHECK(a1, expected)

/* Register-register operation with rd == rs2. */
#define TEST_RR_RD_RS2(inst, expected, a, b) \
    li a1, a; li a2, b; inst a2, a1, a2; CHECK(a2, expected)

/* Register-register operation with rd == rs1 == rs2. */
#define TEST_RR_SAME(inst, expected, a) \
    li a1, a; inst a1, a1, a1; CHECK(a1, expected)

/* x0 as the first source. */
#define TEST_RR_ZERO1(inst, expected, b) \
    li a2, b; inst a4, x0, a2; CHECK(a4, expected)

/* x0 as the second source. */
#define TEST_RR_ZERO2(inst, expected, a) \
    li a1, a; inst a4, a1, x0; CHECK(a4, expected)

/* x0 as the destination: the write is ignored and x0 reads 0 afterwards. */
#define TEST_RR_ZERODEST(inst, a, b) \
    li a1, a; li a2, b; inst x0, a1, a2; CHECK(x0, 0); mv a4, x0; CHECK(a4, 0)

/* Register-immediate operation: a4 = inst(a, imm). */
#define TEST_RI(inst, expected, a, imm) \
    li a1, a; inst a4, a1, imm; CHECK(a4, expected)

/* Register-immediate operation with rd == rs1. */
#define TEST_RI_SAME(inst, expected, a, imm) \
    li a1, a; inst a1, a1, imm; CHECK(a1, expected)

/* Register-immediate operation with x0 as the source. */
#define TEST_RI_ZERO1(inst, expected, imm) \
    inst a4, x0, imm; CHECK(a4, expected)

/* Register-immediate operation with x0 as the destination. */
#define TEST_RI_ZERODEST(inst, a, imm) \
    li a1, a; inst x0, a1, imm; CHECK(x0, 0); mv a4, x0; CHECK(a4, 0)

/* Load `inst` from `base_sym + off`: a4 = loaded value. */
#define TEST_LD(inst, expected, base_sym, off) \
    la a1, base_sym; inst a4, off(a1); CHECK(a4, expected)

/* Branch taken / not taken checks: the branch must (not) skip the failing `jal`. */
#define TEST_BR_TAKEN(inst, a, b) \
    li a1, a; li a2, b; addi gp, gp, 1; li t2, 1; li t1, 0; \
    inst a1, a2, 97533f; jal t0, fail; 97533:
#define TEST_BR_NOT_TAKEN(inst, a, b) \
    li a1, a; li a2, b; addi gp, gp, 1; li t2, 0; li t1, 1; \
    inst a1, a2, 97534f; j 97535f; 97534: jal t0, fail; 97535:

#define TEST_BEGIN \
    .section .text.init, "ax", @progbits; \
    .globl _start; \
_start: \
    li gp, 0;

#define TEST_END \
    j pass; \
    test_epilogue

#ifdef QEMU
#define LOAD_RESULTS_ADDR la t3, test_results
#else
#define LOAD_RESULTS_ADDR li t3, 0xA0010000
#endif

#ifdef QEMU
#define ON_ZISK(...)
#define ON_QEMU(...) __VA_ARGS__
#else
#define ON_ZISK(...) __VA_ARGS__
#define ON_QEMU(...)
#endif

.macro test_epilogue
pass:
    LOAD_RESULTS_ADDR
    li t4, PASS_MAGIC
    sw t4, 0(t3)
    sw gp, 4(t3)
    j report
fail:
    LOAD_RESULTS_ADDR
    li t4, FAIL_MAGIC
    sw t4, 0(t3)
    sw gp, 4(t3)
    addi t0, t0, -4
    sw t0, 8(t3)
    srli t4, t0, 32
    sw t4, 12(t3)
    sw t1, 16(t3)
    srli t4, t1, 32
    sw t4, 20(t3)
    sw t2, 24(t3)
    srli t4, t2, 32
    sw t4, 28(t3)
report:
#ifdef QEMU
    li a0, 1
    la a1, test_results
    li a2, 32
    li a7, 64
    ecall
    li a0, 0
    li a7, 93
    ecall
#else
    li a7, 93
    ecall
#endif
1:  j 1b
#ifdef QEMU
    .bss
    .balign 8
test_results:
    .skip 32
    .text
#endif
.endm

#endif
