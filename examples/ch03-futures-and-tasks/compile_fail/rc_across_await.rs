// Does not compile: an `Rc` held across `.await` makes the future `!Send`, and
// `spawn` needs `Send`.
use std::rc::Rc;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        let names = Rc::new(vec!["ada".to_string()]);
        // `names` is still alive here
        tokio::time::sleep(Duration::from_millis(10)).await;
        println!("{} names", names.len());
    });
    let _ = task.await;
}
