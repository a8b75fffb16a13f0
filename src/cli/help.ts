/** Help texts of the `pixazo-ltx` command, one per command. */
export const HELP: Record<string, string> = {
  main: `pixazo-ltx: generate videos with the LTX models of the Pixazo gateway

Usage:
  pixazo-ltx generate <model-id> --prompt "..." [--<field> <value> ...] [--out FILE] [--webhook URL] [--json]
  pixazo-ltx submit <model-id> --prompt "..." [--<field> <value> ...] [--webhook URL] [--json]
  pixazo-ltx status <request_id>
  pixazo-ltx wait <request_id> [--out FILE] [--json] [--timeout DURATION] [--poll-interval D]
  pixazo-ltx batch <file.jsonl> [--out DIR] [--concurrency N] [--json]
  pixazo-ltx models [<model-id>]
  pixazo-ltx fake-gateway [--port N]

Environment:
  PIXAZO_API_KEY    your subscription key (required except for "models")
  PIXAZO_BASE_URL   gateway URL (default https://gateway.pixazo.ai)
  PIXAZO_RUN_TIMES  where learned run times are kept between runs, for the "about N s left"
                    estimates (default ~/.cache/pixazo-ltx/run-times.json, for the Pixazo
                    gateway only; "off" keeps none)

On a terminal, the status shows the time elapsed, and a failed request (retried when safe) is
noted as it happens. Unknown flags are refused.

Exit codes: 0 ok, 1 the job failed or timed out, 2 bad usage or input, 3 API or network error,
4 the job completed but its media could not be saved (the command that saves it is printed),
130 interrupted (Ctrl-C; the job keeps running on the gateway, and the command that resumes it
is printed).

Run "pixazo-ltx <command> --help" for a command's options.`,

  generate: `pixazo-ltx generate <model-id> --prompt "..." [--<field> <value> ...] [options]

Submits a job, shows its status changes and the download progress on stderr, saves the video and
prints the saved file's path on stdout.

Model fields are passed as --<field> <value>, named as the gateway names them (snake_case; kebab
case works too): --duration 8 --aspect_ratio 9:16 --generate_audio false. Input is checked before
anything is sent; a flag that is neither an option nor a field of the model is refused.
"pixazo-ltx models <model-id>" lists the fields.

Options:
  --out FILE          where to save the video (default: ./out/<request_id>.<ext>); a path
                      ending in "/" is a folder. Missing folders are created; a target that
                      cannot be written is refused before anything is submitted.
  --webhook URL       also ask the gateway to POST the result to this https URL
  --webhook-mode M    terminal (default) or sync
  --timeout DURATION  give up waiting after 90s, 5m, 1h, or a number of milliseconds (the job
                      keeps running; the command that resumes it is printed)
  --poll-interval D   base interval between status reads (default 2s): the first read after
                      half of it, then growing ×1.5 up to 8s (or to the interval, if longer)
  --max-poll-interval D  the most time between two status reads (default 8s)
  --json              print the completed status object, with the saved paths in "saved_files"
                      (a failed job's status object too, before exit code 1)`,

  submit: `pixazo-ltx submit <model-id> --prompt "..." [--<field> <value> ...] [options]

Submits a job and prints its request id on stdout, without waiting.

Options:
  --webhook URL       ask the gateway to POST the result to this https URL
  --webhook-mode M    terminal (default) or sync
  --json              print the gateway's whole reply instead of the id`,

  status: `pixazo-ltx status <request_id>

Prints the job's status object as JSON on stdout.`,

  wait: `pixazo-ltx wait <request_id> [options]

Waits for a submitted job, showing status changes on stderr. Prints the media URL(s), or with
--out saves the video and prints the saved path.

Options:
  --out FILE          save the video here (checked before waiting; "DIR/" for a folder)
  --timeout DURATION  give up waiting after 90s, 5m, 1h, or a number of milliseconds (the job
                      keeps running)
  --poll-interval D   base interval between status reads (default 2s)
  --max-poll-interval D  the most time between two status reads (default 8s)
  --json              print the completed status object (with --out, the saved paths in
                      "saved_files"); a failed job's status object too, before exit code 1`,

  batch: `pixazo-ltx batch <file.jsonl> [options]

Generates one video per line of a JSON Lines file, a few at a time, and saves each into --out:
  {"model": "ltx-2-3-text-to-video", "input": {"prompt": "..."}, "name": "lighthouse"}
"name" (optional) is the file's stem (lighthouse.mp4; default line-<n>). Every line is checked
before anything is sent: a bad one is exit 2, naming each line and field.

Each line's state is recorded in a manifest (--out/batch.jsonl), flushed to disk before each
submit and right after it. Running the same command again resumes: a line with a job is waited
on and saved, never submitted again; a line never sent is sent; a finished batch sends nothing.
A line whose submit may have reached the gateway with no request id back is "held", never sent
again on its own: check for its job, then either append its id to the manifest as
  {"line": 7, "state": "submitted", "request_id": "<id>"}
or, if there is none, rerun with --resubmit-held.

On a terminal one summary line is redrawn; elsewhere one line is printed per change. At the end, a
summary of the lines that need attention. Ctrl-C stops submitting (a submit under way finishes,
so its job is recorded) and prints the command that resumes.

Exit codes: 0 every line saved, 1 a line failed, was refused, is held or unfinished, 2 a bad file or flag
(nothing sent), 3 the batch stopped on a refusal every submit would meet (401, 402, 403, no
connection), 4 a completed job's media could not be saved (rerun to save it), 130 interrupted.

Options:
  --out DIR           where the files and the manifest go (default ./out)
  --manifest FILE     keep the manifest here instead of DIR/batch.jsonl
  --concurrency N     jobs under way at once, 1 to 1000 (default 4)
  --timeout DURATION  how long to wait for each job (default 20m; a job that runs over is
                      "unfinished", and a rerun waits for it again)
  --poll-interval D   base interval between status reads (default 2s)
  --max-poll-interval D  the most time between two status reads (default 8s)
  --webhook URL       register this https URL for every job's result
  --webhook-mode M    terminal (default) or sync
  --resubmit-held     send the held lines again (each may then be paid twice: check first)
  --json              one JSON object per line on stdout as it ends: line, name, outcome,
                      request_id, status, saved_files, error, earlier (true for a line an
                      earlier run finished; its status is then null)`,

  "fake-gateway": `pixazo-ltx fake-gateway [--port N]

Starts the built-in fake gateway on 127.0.0.1, for trying the CLI or an app without a key or
credits: every model's submit and the status endpoint, as the API reference describes them; jobs
complete 4 s after their submit with a real sample MP4; webhooks go to loopback URLs only.
Prints its URL and the environment lines to use; Ctrl-C stops it.

Options:
  --port N            the port to listen on (default: a free one)`,

  models: `pixazo-ltx models [<model-id>]

Lists the models with their required inputs; with a model id, every field and its allowed values.`,
};
