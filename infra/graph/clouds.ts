/**
 * National clouds: each has its own Graph endpoint and its own id for the non-gallery ("bring your own
 * app") template. Source: ../shared/docs/graph-provisioning.md ("Add the app from the gallery") and
 * Microsoft Learn "National cloud deployments".
 */
export type EntraCloud = "global" | "usgov" | "china";

export interface CloudProfile {
  /** Graph root without version, e.g. `https://graph.microsoft.com`. */
  readonly graphEndpoint: string;
  /** `applicationTemplates/{id}/instantiate` target for a non-gallery SCIM app. */
  readonly nonGalleryTemplateId: string;
}

export const CLOUD_PROFILES: Readonly<Record<EntraCloud, CloudProfile>> = {
  global: {
    graphEndpoint: "https://graph.microsoft.com",
    nonGalleryTemplateId: "8adf8e6e-67b2-4cf2-a259-e3dc5476c621",
  },
  usgov: {
    graphEndpoint: "https://graph.microsoft.us",
    nonGalleryTemplateId: "4602d0b4-76bb-404b-bca9-2652e1a39c6d",
  },
  china: {
    graphEndpoint: "https://microsoftgraph.chinacloudapi.cn",
    nonGalleryTemplateId: "5a532e38-1581-4918-9658-008dc27c1d68",
  },
};

export const ENTRA_CLOUDS: readonly EntraCloud[] = ["global", "usgov", "china"];
