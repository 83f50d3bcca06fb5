//! The generated example AIRs against honest and tampered traces.
//!
//! An honest trace for every AIR of `pil/example` must pass Plonky3's own debug checker
//! (`p3_air::check_constraints`), the generated non-panicking checker (`check_air`) and the
//! bus balance check; changing any single cell (exhaustively for the small AIRs, seeded
//! random cells for the larger ones) must make at least one of them fail.

use std::collections::BTreeMap;

use p3_air::symbolic::{get_symbolic_constraints, AirLayout, SymbolicAirBuilder};
use p3_air::BaseAir;
use p3_field::{PrimeCharacteristicRing, PrimeField64};
use p3_goldilocks::Goldilocks;
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::example::fibonacci_sq::{FibonacciSqAir, FIBONACCI_SQ_N};
use zisk_generated::example::mini_binary::MiniBinaryAir;
use zisk_generated::example::mini_binary8::MiniBinary8Air;
use zisk_generated::example::mini_binary_table::{MiniBinaryTableAir, MINI_BINARY_TABLE_N};
use zisk_generated::example::square_table::SquareTableAir;
use zisk_generated::example::{global_interactions, AirId, AnyAir, NUM_PUBLICS};
use zisk_generated::support::{
    check_air, check_buses, eval_global_interactions, eval_interactions, PilAir,
};

type F = Goldilocks;

fn f(v: u64) -> F {
    F::from_u64(v)
}

/// All traces of one proof of the example machines.
#[derive(Clone)]
struct System {
    traces: Vec<(AnyAir, RowMajorMatrix<F>)>,
    publics: Vec<F>,
}

fn nibbles(v: u64, count: usize) -> Vec<F> {
    (0..count).map(|i| f((v >> (4 * i)) & 0xf)).collect()
}

fn op_result(op: u64, a: u64, b: u64) -> u64 {
    match op {
        0 => a & b,
        1 => a | b,
        _ => a ^ b,
    }
}

/// One `MiniBinary`-style operation: (op, a, b).
type Op = (u64, u64, u64);

fn random_ops(rng: &mut StdRng, count: usize, bits: u32) -> Vec<Op> {
    (0..count)
        .map(|_| {
            (
                rng.gen_range(0..3),
                rng.gen_range(0..1u64 << bits),
                rng.gen_range(0..1u64 << bits),
            )
        })
        .collect()
}

fn build_system(seed: u64) -> System {
    let mut rng = StdRng::seed_from_u64(seed);
    let n = FIBONACCI_SQ_N;

    // FibonacciSq and SquareTable.
    let start = [rng.gen_range(0..100u64), rng.gen_range(0..100u64)];
    let mut ab = vec![(f(start[0]), f(start[1]))];
    for i in 1..n {
        let (a, b) = ab[i - 1];
        ab.push((b, a + b));
    }
    let fib = FibonacciSqAir.generate_trace(|i, row| {
        row.x = f(i as u64 % 16);
        row.a = ab[i].0;
        row.b = ab[i].1;
        row.sq = f((i as u64 % 16) * (i as u64 % 16));
    });
    let mut square_mul = [0u64; 16];
    for i in 0..n {
        square_mul[i % 16] += 1;
    }
    let square = SquareTableAir.generate_trace(|i, row| row.multiplicity = f(square_mul[i]));
    let publics = vec![f(start[0]), f(start[1]), ab[n - 1].1];
    assert_eq!(publics.len(), NUM_PUBLICS);

    // MiniBinary (4 nibbles) and MiniBinary8 (2 nibbles) with padding rows, and the table.
    let mut table_mul = vec![0u64; MINI_BINARY_TABLE_N];
    let mut count = |ops: &[Op], nib: usize| {
        for &(op, a, b) in ops {
            for k in 0..nib {
                let (an, bn) = ((a >> (4 * k)) & 0xf, (b >> (4 * k)) & 0xf);
                table_mul[(op * 256 + bn * 16 + an) as usize] += 1;
            }
        }
    };
    let ops16 = random_ops(&mut rng, 200, 16);
    let ops8 = random_ops(&mut rng, 11, 8);
    count(&ops16, 4);
    count(&ops8, 2);
    let mb = MiniBinaryAir.generate_trace_padded(
        &ops16,
        |&(op, a, b), row| {
            let c = op_result(op, a, b);
            row.op = f(op);
            row.a.copy_from_slice(&nibbles(a, 4));
            row.b.copy_from_slice(&nibbles(b, 4));
            row.c.copy_from_slice(&nibbles(c, 4));
            row.sel = F::ONE;
            (row.a_packed, row.b_packed, row.c_packed) = (f(a), f(b), f(c));
        },
        |_, _| {},
    );
    let mb8 = MiniBinary8Air.generate_trace_padded(
        &ops8,
        |&(op, a, b), row| {
            let c = op_result(op, a, b);
            row.op = f(op);
            row.a.copy_from_slice(&nibbles(a, 2));
            row.b.copy_from_slice(&nibbles(b, 2));
            row.c.copy_from_slice(&nibbles(c, 2));
            row.sel = F::ONE;
            (row.a_packed, row.b_packed, row.c_packed) = (f(a), f(b), f(c));
        },
        |_, _| {},
    );
    let table = MiniBinaryTableAir.generate_trace(|i, row| row.multiplicity = f(table_mul[i]));

    System {
        traces: vec![
            (AnyAir::FibonacciSq(FibonacciSqAir), fib),
            (AnyAir::SquareTable(SquareTableAir), square),
            (AnyAir::MiniBinaryTable(MiniBinaryTableAir), table),
            (AnyAir::MiniBinary(MiniBinaryAir), mb),
            (AnyAir::MiniBinary8(MiniBinary8Air), mb8),
        ],
        publics,
    }
}

/// Fixed traces, computed once.
fn fixed_traces(sys: &System) -> Vec<Option<RowMajorMatrix<F>>> {
    sys.traces
        .iter()
        .map(|(air, _)| BaseAir::<F>::preprocessed_trace(air))
        .collect()
}

/// Every problem of the system: failed constraints and bus errors, as text.
fn problems(sys: &System, fixed: &[Option<RowMajorMatrix<F>>]) -> Vec<String> {
    let mut out = Vec::new();
    let mut terms = eval_global_interactions(global_interactions(&sys.publics));
    for ((air, trace), fixed) in sys.traces.iter().zip(fixed) {
        let pv = &sys.publics;
        out.extend(
            check_air(air, trace, fixed.as_ref(), pv)
                .iter()
                .map(ToString::to_string),
        );
        terms.extend(eval_interactions(air, trace, fixed.as_ref(), pv));
    }
    out.extend(check_buses(&terms).iter().map(ToString::to_string));
    out
}

#[test]
fn registry_lists_every_air() {
    let names: Vec<&str> = AirId::ALL.iter().map(|id| id.name()).collect();
    assert_eq!(
        names,
        [
            "FibonacciSq",
            "SquareTable",
            "MiniBinaryTable",
            "MiniBinary",
            "MiniBinary8"
        ]
    );
    for id in AirId::ALL {
        assert_eq!(id.air().name(), id.name());
    }
}

#[test]
fn honest_traces_pass_plonky3_and_generated_checks() {
    for seed in 0..4 {
        let sys = build_system(seed);
        for (air, trace) in &sys.traces {
            p3_air::check_constraints(air, trace, &sys.publics);
        }
        let fixed = fixed_traces(&sys);
        assert_eq!(problems(&sys, &fixed), Vec::<String>::new(), "seed {seed}");
    }
}

#[test]
fn symbolic_evaluation_matches_constraint_tables() {
    for id in AirId::ALL {
        let air = id.air();
        let layout = AirLayout::from_air::<F>(&air);
        let constraints = get_symbolic_constraints::<F, _>(&air, layout);
        assert_eq!(constraints.len(), air.constraints().len(), "{}", air.name());
        for (c, info) in constraints.iter().zip(air.constraints()) {
            assert_eq!(
                c.degree_multiple(),
                info.degree as usize,
                "{}: {info}",
                air.name()
            );
            assert!(c.degree_multiple() <= 3);
        }
        let builder = SymbolicAirBuilder::<F>::new(layout);
        let interactions = air.interactions(&builder);
        assert_eq!(interactions.len(), air.interaction_infos().len());
        for i in &interactions {
            assert_eq!(i.values.len(), i.info.width);
            assert!(i.values.iter().all(|v| v.degree_multiple() <= 2));
            assert!(i.multiplicity.degree_multiple() <= 3);
        }
    }
}

#[test]
fn fixed_columns_match_their_sequences() {
    let table = MiniBinaryTableAir.fixed_trace::<F>();
    assert_eq!(table.width(), 4);
    assert_eq!(table.height(), MINI_BINARY_TABLE_N);
    for row in [0, 17, 300, 767, 1000] {
        let r: Vec<u64> = table
            .row_slice(row)
            .expect("row")
            .iter()
            .map(|v| v.as_canonical_u64())
            .collect();
        let (a, b, op) = (r[0], r[1], r[2]);
        assert_eq!(a, row as u64 % 16);
        assert_eq!(b, (row as u64 / 16) % 16);
        assert_eq!(op, if row < 768 { row as u64 / 256 } else { 0 });
        assert_eq!(r[3], op_result(op, a, b));
    }
    let fib_fixed = FibonacciSqAir.fixed_trace::<F>();
    let l1: Vec<u64> = (0..FIBONACCI_SQ_N)
        .map(|i| fib_fixed.get(i, 0).expect("cell").as_canonical_u64())
        .collect();
    assert_eq!(l1[0], 1);
    assert!(l1[1..].iter().all(|&v| v == 0));
}

#[test]
fn any_changed_cell_is_rejected() {
    let honest = build_system(7);
    let fixed = fixed_traces(&honest);
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for (t, (air, trace)) in honest.traces.iter().enumerate() {
        let cells = trace.values.len();
        let picks: Vec<usize> = if cells <= 512 {
            (0..cells).collect()
        } else {
            (0..150).map(|_| rng.gen_range(0..cells)).collect()
        };
        for cell in picks {
            let mut sys = honest.clone();
            let delta = f(rng.gen_range(1..1000u64));
            sys.traces[t].1.values[cell] += delta;
            let found = problems(&sys, &fixed);
            let (row, col) = (cell / trace.width(), cell % trace.width());
            assert!(
                !found.is_empty(),
                "{}: changing row {row} column {} went unnoticed",
                air.name(),
                air.columns()[col].name
            );
            *checked.entry(air.name()).or_default() += 1;
        }
    }
    assert_eq!(checked.len(), 5, "{checked:?}");
}

#[test]
fn failures_name_the_pil_constraint_and_row() {
    let mut sys = build_system(3);
    // Break `a' = b` between rows 4 and 5 of FibonacciSq.
    let (air, trace) = &mut sys.traces[0];
    let width = trace.width();
    trace.values[5 * width + 1] += F::ONE;
    let failures = check_air(&*air, trace, None, &sys.publics);
    let text: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|t| t
            .contains("example/fibonacci_sq.pil:26 `(1 - L1') * (a' - b) === 0`) fails on row 4")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("example/fibonacci_sq.pil:27") && t.contains("row 6")),
        "{text:#?}"
    );
}
