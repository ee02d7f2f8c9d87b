// Does not compile: a spawned task may outlive the function that spawned it, so it
// cannot borrow its locals.
#[tokio::main]
async fn main() {
    let names = vec!["ada".to_string(), "grace".to_string()];
    let task = tokio::spawn(async {
        println!("{} names", names.len()); // borrows `names`
    });
    let _ = task.await;
}
