/* Minimal start code for the C benchmark guests: stack, main(), exit through ecall 93. */
.section .text.init
.globl _start
_start:
  la sp, _stack_top
  call main
  li a7, 93
  ecall
