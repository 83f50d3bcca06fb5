/* Zicsr on scratch CSRs (the VM keeps CSR n in memory): csrrw/csrrs/csrrc and the immediate
   forms, rd == rs1, rd == x0 (write only) and rs1 == x0 / uimm == 0 (read only). VM only: these
   machine-mode CSRs trap under Linux user mode. */
#include "test.h"
    .option norvc
TEST_BEGIN

    /* csrrw: rd gets the old value */
    li a1, 0x123
    csrrw a4, mscratch, a1
    CHECK(a4, 0)
    csrrw a4, mscratch, x0
    CHECK(a4, 0x123)
    csrr a4, mscratch
    CHECK(a4, 0)

    /* csrrs / csrrc */
    li a1, 0xf0
    csrrs a4, mscratch, a1
    CHECK(a4, 0)
    li a1, 0x0f
    csrrs a4, mscratch, a1
    CHECK(a4, 0xf0)
    li a1, 0x3c
    csrrc a4, mscratch, a1
    CHECK(a4, 0xff)
    csrr a4, mscratch
    CHECK(a4, 0xc3)

    /* 64-bit values */
    li a1, 0x8000000000000001
    csrw mscratch, a1
    csrr a4, mscratch
    CHECK(a4, 0x8000000000000001)
    li a1, 0xfffffffffffffffe
    csrs mscratch, a1
    csrr a4, mscratch
    CHECK(a4, -1)
    li a1, 0x00000000ffffffff
    csrc mscratch, a1
    csrr a4, mscratch
    CHECK(a4, 0xffffffff00000000)
    li a1, -1
    csrrc a4, mscratch, a1
    CHECK(a4, 0xffffffff00000000)
    csrr a4, mscratch
    CHECK(a4, 0)

    /* immediate forms (5-bit zero-extended uimm) */
    csrrwi a4, mscratch, 31
    CHECK(a4, 0)
    csrrwi a4, mscratch, 0
    CHECK(a4, 31)
    csrrsi a4, mscratch, 5
    CHECK(a4, 0)
    csrrsi a4, mscratch, 0x18
    CHECK(a4, 5)
    csrrci a4, mscratch, 1
    CHECK(a4, 0x1d)
    csrr a4, mscratch
    CHECK(a4, 0x1c)
    csrwi mscratch, 17
    csrsi mscratch, 8
    csrci mscratch, 1
    csrr a4, mscratch
    CHECK(a4, 24)

    /* rs1 == x0 and uimm == 0 only read */
    csrrs a4, mscratch, x0
    CHECK(a4, 24)
    csrrc a4, mscratch, x0
    CHECK(a4, 24)
    csrrsi a4, mscratch, 0
    CHECK(a4, 24)
    csrrci a4, mscratch, 0
    CHECK(a4, 24)
    csrr a4, mscratch
    CHECK(a4, 24)

    /* rd == rs1: the new value uses the old register contents */
    li a1, 0x777
    csrrw a1, mscratch, a1
    CHECK(a1, 24)
    csrr a4, mscratch
    CHECK(a4, 0x777)
    li a1, 0x8
    csrrs a1, mscratch, a1
    CHECK(a1, 0x777)
    csrr a4, mscratch
    CHECK(a4, 0x77f)
    li a1, 0x70f
    csrrc a1, mscratch, a1
    CHECK(a1, 0x77f)
    csrr a4, mscratch
    CHECK(a4, 0x070)

    /* rd == x0 writes without reading; x0 stays 0 */
    csrrw x0, mscratch, a1
    CHECK(x0, 0)
    csrr a4, mscratch
    CHECK(a4, 0x77f)

    /* CSRs are independent of each other */
    li a1, 0x1111
    csrw mscratch, a1
    li a1, 0x2222
    csrw sscratch, a1
    li a1, 0x3333
    csrw 0x7c0, a1
    csrr a4, mscratch
    CHECK(a4, 0x1111)
    csrr a4, sscratch
    CHECK(a4, 0x2222)
    csrr a4, 0x7c0
    CHECK(a4, 0x3333)

    /* marchid is preset to the ZisK architecture id */
    csrr a4, marchid
    CHECK(a4, 0xfffeeee)

TEST_END
