export type { FakeCdn, MediaFault, RecordedMediaRequest } from "./fake-cdn.js";
export {
  type FakeGateway,
  type FakeGatewayOptions,
  type RecordedRequest,
  startFakeGateway,
} from "./fake-gateway.js";
export { documentedErrors, type FakeFault, type FaultRule, type FaultTarget } from "./faults.js";
export type { FakeJob, FakeJobScript, FakeWebhook } from "./jobs.js";
export { SAMPLE_VIDEO } from "./sample-video.js";
export type { RecordedDelivery } from "./webhook-delivery.js";
