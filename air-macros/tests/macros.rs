//! `#[derive(AirRow)]` and `pil!` in use.

use core::borrow::{Borrow, BorrowMut};

use p3_field::PrimeCharacteristicRing;
use p3_goldilocks::Goldilocks;
use zisk_air_macros::{pil, AirRow};
use zisk_generated::support::{check_air, PilAir};

type F = Goldilocks;

/// A hand-written row.
#[repr(C)]
#[derive(AirRow, Clone, Copy, Debug, Default)]
struct DemoRow<T> {
    a: T,
    b: [T; 2],
    c: [[T; 2]; 3],
}

#[test]
fn derive_air_row_counts_names_and_borrows() {
    assert_eq!(DemoRow::<u8>::NUM_COLS, 9);
    let names = DemoRow::<u8>::column_names();
    assert_eq!(names[..4], ["a", "b[0]", "b[1]", "c[0][0]"]);
    assert_eq!(names[8], "c[2][1]");
    let mut cells = [0u32; 9];
    let row: &mut DemoRow<u32> = cells[..].borrow_mut();
    row.c[1][0] = 7;
    let row: &DemoRow<u32> = cells[..].borrow();
    assert_eq!(row.c[1][0], 7);
    assert_eq!(cells[5], 7);
}

pil!(
    r#"
    airtemplate Counter(const int N = 8) {
        col fixed L1 = [1, 0...];
        col witness bits(3) count;
        col witness twice;
        L1 * count === 0;
        (1 - L1') * (count' - count - 1) === 0;
        twice === 2 * count;
    }
    airgroup Inline {
        Counter();
    }
"#
);

#[test]
fn pil_macro_emits_a_working_air() {
    let air = counter::CounterAir;
    assert_eq!(air.name(), "Counter");
    assert_eq!(counter::NUM_COUNTER_COLS, 2);
    let trace = air.generate_trace::<F>(|i, row| {
        row.count = F::from_usize(i);
        row.twice = F::from_usize(2 * i);
    });
    assert!(check_air(&air, &trace, None, &[]).is_empty());
    let mut bad = trace.clone();
    bad.values[3 * 2] += F::ONE;
    let failures = check_air(&air, &bad, None, &[]);
    assert!(!failures.is_empty());
    assert!(failures.iter().all(|f| f.info.file == "inline.pil"));
}
