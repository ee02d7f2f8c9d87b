// Does not compile: an `Rc` held across `.await` makes the future `!Send`, and `spawn` needs `Send`.
use std::rc::Rc;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let task = tokio::spawn(async {
        let names = Rc::new(vec!["ada".to_string()]);
        tokio::time::sleep(Duration::from_millis(10)).await; // `names` is still alive here
        println!("{} names", names.len());
    });
    let _ = task.await;
}
