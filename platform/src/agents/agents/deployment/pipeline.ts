import type { DeploymentInput, Strategy } from "./strategy.ts";

export interface Stage {
  stage: string;
  steps: string[];
  /** What must hold before the next stage starts, or null when nothing is checked. */
  gate: string | null;
}

export interface Rollback {
  triggers: string[];
  steps: string[];
}

type Target = NonNullable<DeploymentInput["target"]>;

/** How each target builds, ships, checks and switches a release. */
interface TargetTraits {
  artifact: string;
  deploy: string;
  health: string;
  /** What moves traffic from one version to the other. */
  router: string;
  /** How a rolling update goes on this target. */
  rolling: string[];
  /** How a canary's traffic is split on this target. */
  canary: string[];
  containerImage: boolean;
}

const TARGETS: Record<Target, TargetTraits> = {
  kubernetes: {
    artifact: "a container image tagged with the commit SHA",
    deploy: "apply the manifests (Helm or Kustomize) with the new image tag",
    health: "readiness and liveness probes",
    router: "the Service selector or ingress",
    rolling: [
      "Update the Deployment with a RollingUpdate strategy (maxSurge 25%, maxUnavailable 0)",
      "Wait for `kubectl rollout status` to report every new pod ready",
    ],
    canary: [
      "Run the canary as a separate Deployment and send it 5% of traffic through ingress or service-mesh weights (or Argo Rollouts / Flagger)",
      "Step to 25%, 50% and 100% while the canary's metrics hold",
    ],
    containerImage: true,
  },
  "virtual-machines": {
    artifact: "a versioned package or machine image built once",
    deploy: "update the instances through the instance group or configuration management",
    health: "the load balancer's health checks",
    router: "the load balancer's target group",
    rolling: [
      "Update the instance group in batches of about 20%, draining connections before an instance is replaced",
      "Wait for each batch to pass the health checks",
    ],
    canary: [
      "Put one new instance (about 5% of capacity) behind the load balancer with weighted routing",
      "Grow the new group to 25%, 50% and 100% while its metrics hold",
    ],
    containerImage: false,
  },
  serverless: {
    artifact: "a function package published as an immutable version",
    deploy: "deploy with infrastructure as code (SAM, Serverless Framework or Terraform), publishing a new version",
    health: "the new version's invocation errors, throttles and duration",
    router: "the alias",
    rolling: ["Publish the new version and move the alias to it"],
    canary: [
      "Publish the new version and shift 10% of traffic to it with a weighted alias (Lambda alias routing, Cloud Run traffic split or equivalent)",
      "Shift to 50% and then 100% while the new version's metrics hold",
    ],
    containerImage: false,
  },
  paas: {
    artifact: "a release built from the commit (buildpack or container image)",
    deploy: "release to a staging app or deployment slot",
    health: "the platform's health checks",
    router: "a slot swap or the platform's router",
    rolling: ["Release with the platform's rolling restart, one instance at a time", "Let the platform wait for each instance's health check"],
    canary: ["Route 5% of traffic to the new release with the platform's traffic splitting", "Raise it to 25%, 50% and 100% while metrics hold"],
    containerImage: false,
  },
  containers: {
    artifact: "a container image tagged with the commit SHA",
    deploy: "update the service with the new image (ECS, Nomad, Compose or equivalent)",
    health: "the container health checks",
    router: "the load balancer's target group",
    rolling: [
      "Update the service so that it starts new tasks before stopping old ones (minimum healthy 100%)",
      "Wait for every new task to pass its health check",
    ],
    canary: ["Run the new image as a separate service taking 5% of traffic through load-balancer weights", "Raise it to 25%, 50% and 100% while metrics hold"],
    containerImage: true,
  },
  other: {
    artifact: "a versioned, immutable build artifact",
    deploy: "run the scripted deploy of that artifact",
    health: "health-endpoint checks",
    router: "the load balancer or DNS",
    rolling: ["Replace instances in small batches, adding new ones before removing old ones", "Wait for each batch to pass the health checks"],
    canary: ["Send about 5% of traffic to new instances through load-balancer weights", "Raise it to 25%, 50% and 100% while metrics hold"],
    containerImage: false,
  },
};

const traitsOf = (input: DeploymentInput) => TARGETS[input.target ?? "other"];

function rollout(input: DeploymentInput, strategy: Strategy, t: TargetTraits): Stage {
  const migrations = input.databaseMigrations === true;
  switch (strategy) {
    case "blue-green":
      return {
        stage: "Production rollout (blue-green)",
        steps: [
          "Deploy the new version (green) next to the live one (blue), at full capacity",
          ...(migrations ? ["Apply the expand migration before the switch: blue must keep working with the new schema"] : []),
          "Smoke test green on its own address",
          `Switch ${t.router} from blue to green`,
          "Keep blue running and ready to take traffic back during the rollback window",
        ],
        gate: "Green passes its smoke tests before the switch",
      };
    case "canary":
      return {
        stage: "Production rollout (canary)",
        steps: [...(migrations ? ["Apply the backward-compatible (expand) migration before the canary starts"] : []), ...t.canary],
        gate: "At each step, the canary's error rate and latency are within thresholds of the stable version's",
      };
    case "rolling":
      return {
        stage: "Production rollout (rolling)",
        steps: [
          ...(migrations ? ["Apply the backward-compatible (expand) migration before the rollout"] : []),
          ...t.rolling,
          "Pause the rollout when a batch fails its checks",
        ],
        gate: `Each batch is healthy (${t.health}) before the next starts`,
      };
  }
}

/** The pipeline every plan starts from: the same stages for every target, each filled in for the target and strategy. */
export function pipelineSkeleton(input: DeploymentInput, strategy: Strategy): Stage[] {
  const t = traitsOf(input);
  const migrations = input.databaseMigrations === true;
  return [
    {
      stage: "Build",
      steps: ["Check out the commit and restore the dependency cache", "Install dependencies from the lock file", "Compile and package the application"],
      gate: null,
    },
    {
      stage: "Test",
      steps: [
        "Run the unit tests",
        "Run the integration tests against disposable dependencies",
        ...(migrations ? ["Apply the migrations to a copy of the production schema and run the previous version's tests against it"] : []),
      ],
      gate: "All tests pass",
    },
    {
      stage: "Security scan",
      steps: [
        "Scan dependencies for known vulnerabilities",
        "Run static analysis",
        "Scan the repository for committed secrets",
        ...(t.containerImage ? ["Scan the container image"] : []),
      ],
      gate: "No critical or high findings without an accepted exception",
    },
    { stage: "Artifact", steps: [`Build ${t.artifact}`, "Sign it and record its digest", "Promote that same artifact through every environment"], gate: null },
    {
      stage: "Deploy to staging",
      steps: [
        `Deploy to staging: ${t.deploy}`,
        ...(migrations ? ["Apply the migrations to staging"] : []),
        "Use the production rollout procedure, so that staging rehearses it",
      ],
      gate: null,
    },
    { stage: "Smoke tests", steps: ["Check the health endpoint", "Run the critical user journeys end to end"], gate: "Smoke tests pass on staging" },
    rollout(input, strategy, t),
    {
      stage: "Post-deploy verification",
      steps: [
        "Watch error rate, latency and saturation against the pre-release baseline for 30 minutes",
        "Run synthetic checks of the critical journeys",
        ...(migrations ? ["Run the contract migration in a later release, once no running version needs the old schema"] : []),
        "Record the release: version, commit, time and who approved it",
      ],
      gate: "Metrics within thresholds; otherwise roll back",
    },
  ];
}

/** When to roll back and how, for the model to refine. */
export function rollbackSkeleton(input: DeploymentInput, strategy: Strategy): Rollback {
  const t = traitsOf(input);
  const migrations = input.databaseMigrations === true;
  const triggers = [
    "Error rate (5xx) above 1%, or twice the baseline, for 5 minutes",
    "p95 latency more than 50% above the baseline for 10 minutes",
    `Failed health checks on the new version (${t.health})`,
    "Smoke or synthetic checks failing after the release",
    ...(strategy === "canary" ? ["The canary's error rate or latency clearly worse than the stable version's"] : []),
    ...(migrations ? ["A migration failing, or holding locks beyond its window"] : []),
  ];
  const undo: Record<Strategy, string[]> = {
    "blue-green": [`Switch ${t.router} back to blue`, "Keep green for diagnosis, then scale it down"],
    canary: [`Shift all traffic back to the stable version through ${t.router === "the alias" ? "the alias" : "the traffic weights"}`, "Remove the canary"],
    rolling: ["Stop the rollout", "Redeploy the previous artifact with the same rolling procedure"],
  };
  return {
    triggers,
    steps: [
      ...undo[strategy],
      ...(migrations
        ? ["Leave the schema as it is: the expand migration is backward compatible, and the contract migration runs only once the release is stable"]
        : []),
      "Confirm recovery on the dashboards and tell the team",
      "Record what triggered the rollback for the follow-up",
    ],
  };
}
