import type { InputOf, ModelId } from "../../src/index.js";

/** The smallest valid input of every model, after the reference's minimum requests. */
export const MINIMAL_INPUTS: { [Id in ModelId]: InputOf<Id> } = {
  "ltx-2-3-text-to-video": { prompt: "A lighthouse in a storm" },
  "ltx-2-3-image-to-video": { image_url: "https://example.com/start.png", prompt: "The waves start to move" },
  "ltx-2-3-audio-to-video": { prompt: "A pianist in a jazz club", audio_url: "https://example.com/song.mp3" },
  "ltx-2-3-retake-video": {
    prompt: "Make it neon",
    video_url: "https://example.com/clip.mp4",
    start_time: 0,
    duration: 5,
    retake_mode: "replace_video_only",
  },
  "lightricks-video": { prompt: "Clouds over a mountain lake" },
  "ltx-2-19b-api-513": { prompt: "A dog runs", image_url: "https://example.com/dog.jpg" },
  "ltx-2-video-api-581": { image_url: "https://example.com/street.jpg", prompt: "The camera dollies in" },
};
