/** Help texts of the `pixazo-ltx` command, one per command. */
export const HELP: Record<string, string> = {
  main: `pixazo-ltx: generate videos with the LTX models of the Pixazo gateway

Usage:
  pixazo-ltx generate <model-id> --prompt "..." [--<field> <value> ...] [--out FILE] [--webhook URL] [--json]
  pixazo-ltx submit <model-id> --prompt "..." [--<field> <value> ...] [--webhook URL] [--json]
  pixazo-ltx status <request_id>
  pixazo-ltx wait <request_id> [--out FILE] [--json] [--timeout DURATION] [--poll-interval D]
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
  --json              print the completed status object (with --out, the saved paths in
                      "saved_files"); a failed job's status object too, before exit code 1`,

  "fake-gateway": `pixazo-ltx fake-gateway [--port N]

Starts the built-in fake gateway on 127.0.0.1, for trying the CLI or an app without a key or
credits: every model's submit and the status endpoint, as the API reference describes them; jobs
complete after a few status reads with a real sample MP4; webhooks go to loopback URLs only.
Prints its URL and the environment lines to use; Ctrl-C stops it.

Options:
  --port N            the port to listen on (default: a free one)`,

  models: `pixazo-ltx models [<model-id>]

Lists the models with their required inputs; with a model id, every field and its allowed values.`,
};
