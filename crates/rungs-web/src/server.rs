//! Serving: bind, log each request, stop gracefully on Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use tokio::net::TcpListener;
use tower_http::LatencyUnit;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

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
        let trace = TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(
                DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Micros),
            );
        let app = router(self.state).layer(trace);
        // Each request knows its client's address: sign-in throttling counts per address.
        axum::serve(self.listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Serves on `addr` until Ctrl-C or SIGTERM.
pub async fn serve(addr: &str, state: WebState) -> std::io::Result<()> {
    serve_until_signal(Server::bind(addr, state).await?).await
}

/// Serves a bound server until Ctrl-C or SIGTERM.
pub async fn serve_until_signal(server: Server) -> std::io::Result<()> {
    server.run(shutdown_signal()).await
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
