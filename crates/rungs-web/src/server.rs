//! Serving: bind, log each request, stop gracefully on Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tokio::net::TcpListener;

use crate::{WebState, router};

/// A bound server, not yet serving: tests bind `127.0.0.1:0` and read the port first.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: WebState,
}

impl Server {
    pub async fn bind(addr: &str, state: WebState) -> std::io::Result<Server> {
        Ok(Server { listener: TcpListener::bind(addr).await?, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = router(self.state)
            .layer(axum::middleware::map_response(security_headers))
            .layer(axum::middleware::from_fn(log_request));
        // Each request knows its client's address: sign-in throttling counts per address.
        axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// One log line per answer: method, path, status and latency. The path, never the query:
/// set-up codes, upload CSRF tokens and sign-on codes travel in queries and must not reach the
/// logs. One event rather than a span per request: a span costs more than the line.
async fn log_request(request: Request, next: Next) -> Response {
    if !tracing::enabled!(target: "rungs::request", tracing::Level::INFO) {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    if status >= 500 {
        tracing::error!(target: "rungs::request", %method, path = %path, status, latency_us, "request failed");
    } else {
        tracing::info!(target: "rungs::request", %method, path = %path, status, latency_us, "request");
    }
    response
}

/// Headers every answer carries: no framing (clickjacking), no content sniffing, no full
/// URLs in `Referer` to other sites.
async fn security_headers(mut response: Response) -> Response {
    use axum::http::header::{self, HeaderValue};
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// Serves on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(addr: &str, state: WebState) -> std::io::Result<()> {
    let server = Server::bind(addr, state).await?;
    server.run(shutdown_signal()).await
}

/// Ends when Ctrl-C or SIGTERM arrives. The handlers are installed when this is called, not
/// when it is first awaited: call it before telling anyone the server is up, so that a signal
/// sent right after never finds the default handler (which would end the process at once).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::interrupt()).ok(), signal(SignalKind::terminate()).ok())
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |handler: Option<tokio::signal::unix::Signal>| async move {
                match handler {
                    Some(mut handler) => {
                        handler.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(interrupt) => {},
                () = wait(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing the requests in flight");
    }
}
