// Rejected with E0626: a `gen` block may not hold a borrow of its own local across
// `yield`.
fn evens() -> impl Iterator<Item = u32> {
    gen {
        let numbers = vec![1, 2, 3, 4];
        for n in &numbers {
            // `&numbers` borrows a local of the block itself, and that borrow is
            // still in use when the block pauses here.
            if n % 2 == 0 {
                yield *n;
            }
        }
    }
}
