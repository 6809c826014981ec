//! Where the player's samples go: the default audio device, or — with no device, and in
//! tests — a mixer drained in real time by a thread, which keeps playback's pace (so
//! position, pause and seek behave as with a sound card) and can record what "played".

use std::num::NonZero;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::mixer::Mixer;

/// Where the player sends its audio.
pub enum OutputChoice {
    /// The default device; if there is none, a silent real-time clock and a
    /// `no_audio_device` error in the state.
    DefaultDevice,
    /// A mixer someone else drains (tests, benchmarks).
    Mixer(Mixer),
}

/// What a [`RealtimeDrain`] took out of its mixer.
#[derive(Debug, Default)]
pub struct Capture {
    samples: Mutex<Vec<f32>>,
    first_sound: Mutex<Option<Instant>>,
}

impl Capture {
    /// All samples drained so far (interleaved, at the drain's rate and channels).
    pub fn samples(&self) -> Vec<f32> {
        self.samples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn len(&self) -> usize {
        self.samples.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// When the first sample that was not silence came out.
    pub fn first_sound(&self) -> Option<Instant> {
        *self.first_sound.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn reset_first_sound(&self) {
        *self.first_sound.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// A mixer whose output a thread pulls at the real-time rate: the audio device's clock
/// without the device.
pub struct RealtimeDrain {
    mixer: Mixer,
    capture: Option<Arc<Capture>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RealtimeDrain {
    /// `record`: keep every sample in a [`Capture`] (tests); otherwise they are dropped.
    pub fn start(channels: u16, sample_rate: u32, record: bool) -> Self {
        let channels = NonZero::new(channels).unwrap_or(NonZero::<u16>::MIN);
        let rate = NonZero::new(sample_rate).unwrap_or(NonZero::<u32>::MIN);
        let (mixer, mut source) = rodio::mixer::mixer(channels, rate);
        let capture = record.then(|| Arc::new(Capture::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let per_sec = u64::from(channels.get()) * u64::from(rate.get());
        let thread = {
            let capture = capture.clone();
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("calldeck-audio-clock".into())
                .spawn(move || {
                    let started = Instant::now();
                    let mut pulled: u64 = 0;
                    let mut batch = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(5));
                        let due = (started.elapsed().as_micros() * u128::from(per_sec) / 1_000_000)
                            as u64;
                        batch.clear();
                        while pulled < due {
                            batch.push(source.next().unwrap_or(0.0));
                            pulled += 1;
                        }
                        if let Some(capture) = &capture {
                            if batch.iter().any(|s| s.abs() > 1e-4) {
                                capture
                                    .first_sound
                                    .lock()
                                    .unwrap_or_else(|p| p.into_inner())
                                    .get_or_insert_with(Instant::now);
                            }
                            capture
                                .samples
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .extend_from_slice(&batch);
                        }
                    }
                })
                .ok()
        };
        Self {
            mixer,
            capture,
            stop,
            thread,
        }
    }

    pub fn mixer(&self) -> &Mixer {
        &self.mixer
    }

    pub fn capture(&self) -> Option<Arc<Capture>> {
        self.capture.clone()
    }
}

impl Drop for RealtimeDrain {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
