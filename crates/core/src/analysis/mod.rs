//! Call analysis: local audio metrics that need no network, and AI analysis through any
//! OpenAI-compatible chat endpoint.

pub mod ai;
mod config;
mod error;
pub mod metrics;
mod output;
mod store;

pub use ai::{analyse, MAX_TRANSCRIPT_CHARS};
pub use config::ChatConfig;
pub use error::AnalysisError;
pub use metrics::{audio_metrics, measure, AudioMetrics, ChannelMetrics, DB_FLOOR};
pub use output::{response_schema, AiAnalysis, Sentiment};
pub use store::{analyse_audio, analyse_with_ai, get_analysis, CallAnalysis};
