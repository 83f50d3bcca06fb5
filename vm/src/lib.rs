//! The execution half of the zkVM: ELF → ZisK ROM transpiler and the emulator.
