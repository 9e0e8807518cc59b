//! Headless Chromium for the browser test: chromedriver on a free port, a browser session,
//! and screenshots of a page at desktop and phone widths under `target/screenshots/`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use thirtyfour::prelude::*;

/// `chromedriver` on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_chromedriver() -> Option<Driver> {
    let binary = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists());
    let Some(binary) = binary else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium-driver for the browser tests"
        );
        eprintln!("chromedriver is not installed: skipping the browser test");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("chromedriver did not start");
}

pub fn screenshots() -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

pub async fn browser(driver: &Driver) -> WebDriver {
    let profile = std::env::temp_dir().join(format!("rungs-chromium-{}", std::process::id()));
    let mut capabilities = DesiredCapabilities::chrome();
    for argument in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,900",
    ] {
        capabilities.add_arg(argument).unwrap();
    }
    capabilities.add_arg(&format!("--user-data-dir={}", profile.display())).unwrap();
    if std::path::Path::new("/usr/bin/chromium").exists() {
        capabilities.set_binary("/usr/bin/chromium").unwrap();
    }
    WebDriver::new(&driver.url, capabilities).await.unwrap()
}

pub async fn shoot(browser: &WebDriver, name: &str) {
    let folder = screenshots();
    browser.set_window_rect(0, 0, 1280, 900).await.unwrap();
    browser.screenshot(&folder.join(format!("{name}.png"))).await.unwrap();
    browser.set_window_rect(0, 0, 390, 844).await.unwrap();
    browser.screenshot(&folder.join(format!("{name}-phone.png"))).await.unwrap();
    browser.set_window_rect(0, 0, 1280, 900).await.unwrap();
}
