import { execFileSync } from 'node:child_process';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import YAML from 'yaml';
import { configVariables, exampleDrainTimeoutSeconds, repoRoot } from '../support/deploy-files.js';

/**
 * deploy/kubernetes is rendered with the machine's `kubectl kustomize`, exactly as the README tells operators,
 * and every object is validated against its Kubernetes schema by kubernetes-models (the OpenAPI schemas of
 * the Kubernetes API compiled to validators; the ServiceMonitor against the prometheus-operator CRD's schema).
 * Those schemas check types, required fields and formats but, like the API's OpenAPI, allow unknown fields:
 * the assertions below read each field that matters by its real name, so a misspelt one fails here.
 */

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const rendered = execFileSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', 'deploy/kubernetes'], {
  cwd: repoRoot,
  encoding: 'utf8',
});
const objects = YAML.parseAllDocuments(rendered).map((doc) => doc.toJS() as K8sObject);
const byKind = (kind: string): K8sObject[] => objects.filter((o) => o.kind === kind);
const one = (kind: string): any => {
  const found = byKind(kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('deploy/kubernetes (Kustomize base)', () => {
  it('renders every kind the base promises, each valid against its schema', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceMonitor'].sort(),
    );
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model).toBeDefined();
      expect(() => new Model!(object as never).validate()).not.toThrow();
    }
  });

  it('the schema validation refuses a broken object (the check can fail)', () => {
    const deployment = structuredClone(one('Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(deployment).validate()).toThrow(/containerPort must be integer/);
    const monitor = structuredClone(one('ServiceMonitor'));
    monitor.spec.endpoints = 'http';
    expect(() => new ServiceMonitor(monitor).validate()).toThrow(/endpoints/);
  });

  it('runs two non-root instances with probes, a grace period above the drain timeout and limits', () => {
    const deployment = one('Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const preStopSeconds = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + exampleDrainTimeoutSeconds() + 5);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind]).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    }
  });

  it('runs one worker process per CPU of the limit (the container may not see its limit as its core count)', () => {
    const container = one('Deployment').spec.template.spec.containers[0];
    const workers = container.env.find((e: any) => e.name === 'CHATBRIDGE_WORKERS');
    expect(workers?.value).toMatch(/^[1-9]\d*$/);
    expect(Number(workers.value)).toBe(Number(container.resources.limits.cpu));
  });

  it('mounts the configuration from a ConfigMap generated from config/ where the image reads it', () => {
    const configMap = one('ConfigMap');
    expect(Object.keys(configMap.data)).toEqual(['example.yaml']);
    const pod = one('Deployment').spec.template.spec;
    const volume = pod.volumes.find((v: any) => v.configMap);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount).toEqual({ name: volume.name, mountPath: '/etc/chatbridge', readOnly: true });
    expect(pod.containers[0].env).toContainEqual({ name: 'CHATBRIDGE_CONFIG', value: '/etc/chatbridge' });
  });

  it('takes every ${NAME} of the configuration from the Secret, by the same name', () => {
    const env: any[] = one('Deployment').spec.template.spec.containers[0].env;
    const fromSecret = env.filter((e) => e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional);
    for (const e of fromSecret) expect(e.valueFrom.secretKeyRef).toEqual({ name: 'chatbridge-secrets', key: e.name });
    expect(fromSecret.map((e) => e.name).sort()).toEqual(configVariables('config/example.yaml'));
  });

  it('selects the pods from the Service, budget, autoscaler, monitor and network policy', () => {
    const podLabels = one('Deployment').spec.template.metadata.labels;
    const selects = (selector: Record<string, string>) =>
      expect(Object.entries(selector).every(([k, v]) => podLabels[k] === v) && Object.keys(selector).length > 0).toBe(true);
    selects(one('Service').spec.selector);
    selects(one('PodDisruptionBudget').spec.selector.matchLabels);
    selects(one('NetworkPolicy').spec.podSelector.matchLabels);
    const service = one('Service');
    expect(Object.entries(one('ServiceMonitor').spec.selector.matchLabels).every(([k, v]) => service.metadata.labels[k] === v)).toBe(true);
    expect(one('ServiceMonitor').spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    expect(one('HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chatbridge' });
    expect(one('HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
    expect(one('PodDisruptionBudget').spec.minAvailable).toBe(1);
  });
});
