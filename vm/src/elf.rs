//! Reading the loadable sections of a RISC-V ELF file (zisk-spec §3.7).

use crate::error::ElfError;
use elf::abi;
use elf::endian::AnyEndian;
use elf::ElfBytes;

/// What a section is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    /// Executable code.
    Code,
    /// Writable data (RAM).
    Data,
    /// Read-only data.
    ReadOnly,
}

/// One loadable section.
#[derive(Clone, Debug)]
pub struct Section {
    /// Name (or `segment N` when the file has no section headers).
    pub name: String,
    /// Start address.
    pub addr: u64,
    /// Size in memory.
    pub size: u64,
    /// Initial bytes (empty for zero-initialised sections).
    pub data: Vec<u8>,
    /// Use.
    pub kind: SectionKind,
}

/// The parts of an ELF file the transpiler needs.
#[derive(Clone, Debug)]
pub struct ElfImage {
    /// Entry point.
    pub entry: u64,
    /// Loadable sections in address order.
    pub sections: Vec<Section>,
}

/// Parses an ELF file.
pub fn parse_elf(bytes: &[u8]) -> Result<ElfImage, ElfError> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return Err(ElfError::NotElf("missing ELF magic bytes".into()));
    }
    let file =
        ElfBytes::<AnyEndian>::minimal_parse(bytes).map_err(|e| ElfError::NotElf(e.to_string()))?;
    let ehdr = &file.ehdr;
    if ehdr.class != elf::file::Class::ELF64 {
        return Err(ElfError::WrongArch("32-bit ELF class".into()));
    }
    if ehdr.e_machine != abi::EM_RISCV {
        return Err(ElfError::WrongArch(format!(
            "machine type {} is not RISC-V (243)",
            ehdr.e_machine
        )));
    }
    if ehdr.endianness != AnyEndian::Little {
        return Err(ElfError::WrongArch("big-endian".into()));
    }
    if ehdr.e_type != abi::ET_EXEC {
        return Err(ElfError::WrongArch(format!(
            "type {} is not an executable (ET_EXEC)",
            ehdr.e_type
        )));
    }
    let bad = |e: elf::ParseError| ElfError::NotElf(e.to_string());
    let mut sections = Vec::new();
    let (shdrs, strtab) = file.section_headers_with_strtab().map_err(bad)?;
    if let Some(shdrs) = shdrs.filter(|s| !s.is_empty()) {
        for shdr in shdrs.iter() {
            if shdr.sh_flags & abi::SHF_ALLOC as u64 == 0 || shdr.sh_addr == 0 || shdr.sh_size == 0
            {
                continue;
            }
            let name = strtab
                .as_ref()
                .and_then(|t| t.get(shdr.sh_name as usize).ok())
                .unwrap_or("?")
                .to_string();
            let kind = if shdr.sh_flags & abi::SHF_EXECINSTR as u64 != 0 {
                SectionKind::Code
            } else if shdr.sh_flags & abi::SHF_WRITE as u64 != 0 {
                SectionKind::Data
            } else {
                SectionKind::ReadOnly
            };
            let data = if shdr.sh_type == abi::SHT_NOBITS {
                Vec::new()
            } else {
                let (d, compression) = file.section_data(&shdr).map_err(bad)?;
                if compression.is_some() {
                    return Err(ElfError::NotElf(format!("section {name} is compressed")));
                }
                d.to_vec()
            };
            sections.push(Section {
                name,
                addr: shdr.sh_addr,
                size: shdr.sh_size,
                data,
                kind,
            });
        }
    } else if let Some(phdrs) = file.segments() {
        for (i, phdr) in phdrs.iter().enumerate() {
            if phdr.p_type != abi::PT_LOAD || phdr.p_memsz == 0 {
                continue;
            }
            let kind = if phdr.p_flags & abi::PF_X != 0 {
                SectionKind::Code
            } else if phdr.p_flags & abi::PF_W != 0 {
                SectionKind::Data
            } else {
                SectionKind::ReadOnly
            };
            let data = file.segment_data(&phdr).map_err(bad)?.to_vec();
            sections.push(Section {
                name: format!("segment {i}"),
                addr: phdr.p_vaddr,
                size: phdr.p_memsz,
                data,
                kind,
            });
        }
    }
    for s in &sections {
        if s.addr.checked_add(s.size).is_none() {
            return Err(ElfError::BadSection {
                name: s.name.clone(),
                addr: s.addr,
                end: u64::MAX,
                reason: "wraps around the address space",
            });
        }
    }
    sections.sort_by_key(|s| s.addr);
    Ok(ElfImage {
        entry: ehdr.e_entry,
        sections,
    })
}
