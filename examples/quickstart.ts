import { Pixazo } from "pixazo-ltx";

const client = new Pixazo(); // reads PIXAZO_API_KEY, and PIXAZO_BASE_URL when set

const job = await client.generate(
  "ltx-2-3-text-to-video",
  { prompt: "A lighthouse on a cliff in a storm, waves crashing, cinematic", duration: 6 },
  {
    onSubmit: ({ request_id }) => console.log("submitted", request_id), // store it to resume later
    onStatus: ({ status }) => console.log("status", status),
  },
);

console.log(job.output.media_url[0]);
