{{/* Names ------------------------------------------------------------------------------------ */}}
{{- define "genfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "genfleet.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains (include "genfleet.name" .) .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "genfleet.name" .) | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "genfleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: genfleet
{{- end -}}

{{/* selector labels of a component: (dict "root" $ "component" "gateway" ["pool" "text"]) */}}
{{- define "genfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "genfleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- if .pool }}
genfleet.dev/pool: {{ .pool }}
{{- end }}
{{- end -}}

{{- define "genfleet.gateway.name" -}}
{{- printf "%s-gateway" (include "genfleet.fullname" .) -}}
{{- end -}}

{{/* (dict "root" $ "pool" $pool) */}}
{{- define "genfleet.worker.name" -}}
{{- printf "%s-worker-%s" (include "genfleet.fullname" .root) .pool.name -}}
{{- end -}}

{{/* Images ----------------------------------------------------------------------------------- */}}
{{- define "genfleet.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.images.registry -}}
{{- printf "%s/%s:%s%s" .root.Values.images.registry .image.repository $tag (.suffix | default "") -}}
{{- else -}}
{{- printf "%s:%s%s" .image.repository $tag (.suffix | default "") -}}
{{- end -}}
{{- end -}}

{{/* Kafka ------------------------------------------------------------------------------------ */}}
{{- define "genfleet.kafka.strimzi" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}true{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.clusterName" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- .Values.kafka.strimzi.clusterName | default (printf "%s-kafka" (include "genfleet.fullname" .)) -}}
{{- else -}}
{{- .Values.kafka.external.strimziClusterName -}}
{{- end -}}
{{- end -}}

{{/* whether this chart renders KafkaTopic and KafkaUser resources */}}
{{- define "genfleet.kafka.ownsTopics" -}}
{{- if or (eq .Values.kafka.mode "strimzi") .Values.kafka.external.strimziClusterName -}}true{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.bootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- printf "%s-kafka-bootstrap:9093" (include "genfleet.kafka.clusterName" .) -}}
{{- else if eq .Values.kafka.mode "external" -}}
{{- required "kafka.external.bootstrapServers is required when kafka.mode=external" .Values.kafka.external.bootstrapServers -}}
{{- else -}}
{{- fail "kafka.mode must be strimzi or external" -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.securityProtocol" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}SASL_SSL{{- else -}}{{ .Values.kafka.external.securityProtocol }}{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.sasl" -}}
{{- if hasPrefix "SASL_" (include "genfleet.kafka.securityProtocol" .) -}}true{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.tls" -}}
{{- if has (include "genfleet.kafka.securityProtocol" .) (list "SSL" "SASL_SSL") -}}true{{- end -}}
{{- end -}}

{{/* SSL with a client certificate per component (mutual TLS): external Kafka only */}}
{{- define "genfleet.kafka.mtls" -}}
{{- if and (eq .Values.kafka.mode "external") .Values.kafka.external.tlsClientAuth (ne .Values.kafka.external.securityProtocol "SSL") -}}
{{- fail "kafka.external.tlsClientAuth (mutual TLS) needs kafka.external.securityProtocol SSL" -}}
{{- end -}}
{{- if and (eq .Values.kafka.mode "external") (eq (include "genfleet.kafka.securityProtocol" .) "SSL") .Values.kafka.external.tlsClientAuth -}}true{{- end -}}
{{- end -}}

{{/* whether the components authenticate to Kafka (SASL or a client certificate), so that ACLs name them */}}
{{- define "genfleet.kafka.authenticated" -}}
{{- if or (include "genfleet.kafka.sasl" .) (include "genfleet.kafka.mtls" .) -}}true{{- end -}}
{{- end -}}

{{/* a CA of our own to trust (Strimzi's cluster CA, or kafka.external.caSecret); none = the JVM's public CAs */}}
{{- define "genfleet.kafka.customCa" -}}
{{- if and (include "genfleet.kafka.tls" .) (or (eq .Values.kafka.mode "strimzi") .Values.kafka.external.caSecret.name) -}}true{{- end -}}
{{- end -}}

{{/* a KafkaUser's authentication type: tls with mutual TLS, else scram-sha-512 */}}
{{- define "genfleet.kafka.userAuthentication" -}}
{{- if include "genfleet.kafka.mtls" . -}}tls{{- else -}}scram-sha-512{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.saslMechanism" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}SCRAM-SHA-512{{- else -}}{{ .Values.kafka.external.saslMechanism }}{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.caSecret" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- printf "%s-cluster-ca-cert" (include "genfleet.kafka.clusterName" .) -}}
{{- else -}}
{{- .Values.kafka.external.caSecret.name -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.caKey" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}ca.crt{{- else -}}{{ .Values.kafka.external.caSecret.key }}{{- end -}}
{{- end -}}

{{/* KafkaUser names (= Strimzi's secret names) when the chart renders KafkaUsers; else the configured ones */}}
{{- define "genfleet.kafka.user.gateway" -}}
{{- if include "genfleet.kafka.ownsTopics" . -}}
{{- include "genfleet.gateway.name" . -}}
{{- else -}}
{{- .Values.kafka.external.usernames.gateway -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.secret.gateway" -}}
{{- if include "genfleet.kafka.ownsTopics" . -}}
{{- include "genfleet.gateway.name" . -}}
{{- else -}}
{{- .Values.kafka.external.userSecrets.gateway -}}
{{- end -}}
{{- end -}}

{{/* (dict "root" $ "pool" $pool) */}}
{{- define "genfleet.kafka.user.worker" -}}
{{- if include "genfleet.kafka.ownsTopics" .root -}}
{{- include "genfleet.worker.name" . -}}
{{- else -}}
{{- index .root.Values.kafka.external.usernames.workers .pool.name | default .root.Values.kafka.external.usernames.workers.default -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.secret.worker" -}}
{{- if include "genfleet.kafka.ownsTopics" .root -}}
{{- include "genfleet.worker.name" . -}}
{{- else -}}
{{- index .root.Values.kafka.external.userSecrets.workers .pool.name | default .root.Values.kafka.external.userSecrets.workers.default -}}
{{- end -}}
{{- end -}}

{{/* The operators' user for the dead-letter tool (rendered only when the chart renders KafkaUsers) */}}
{{- define "genfleet.kafka.user.operator" -}}
{{- printf "%s-operator" (include "genfleet.fullname" .) -}}
{{- end -}}

{{- define "genfleet.kafka.user.keda" -}}
{{- if include "genfleet.kafka.ownsTopics" . -}}
{{- printf "%s-keda" (include "genfleet.fullname" .) -}}
{{- else -}}
{{- .Values.kafka.external.usernames.keda -}}
{{- end -}}
{{- end -}}

{{- define "genfleet.kafka.secret.keda" -}}
{{- if include "genfleet.kafka.ownsTopics" . -}}
{{- printf "%s-keda" (include "genfleet.fullname" .) -}}
{{- else -}}
{{- .Values.kafka.external.userSecrets.keda -}}
{{- end -}}
{{- end -}}

{{/* application.properties lines shared by gateway and workers: how to reach Kafka */}}
{{- define "genfleet.kafka.clientProperties" -}}
kafka.bootstrap.servers={{ include "genfleet.kafka.bootstrap" . }}
kafka.security.protocol={{ include "genfleet.kafka.securityProtocol" . }}
{{- if include "genfleet.kafka.sasl" . }}
kafka.sasl.mechanism={{ include "genfleet.kafka.saslMechanism" . }}
kafka.sasl.jaas.config=${KAFKA_SASL_JAAS_CONFIG}
{{- end }}
{{- if include "genfleet.kafka.customCa" . }}
kafka.ssl.truststore.type=PEM
kafka.ssl.truststore.location=/etc/genfleet/kafka-ca/{{ include "genfleet.kafka.caKey" . }}
{{- end }}
{{- if include "genfleet.kafka.mtls" . }}
kafka.ssl.keystore.type=PKCS12
kafka.ssl.keystore.location=/etc/genfleet/kafka-user/user.p12
kafka.ssl.keystore.password=${KAFKA_SSL_KEYSTORE_PASSWORD}
{{- end }}
{{- end -}}

{{/*
NetworkPolicy egress rule(s) to Kafka: the chart's Strimzi brokers on 9093, or an external Kafka on its ports
(networkPolicy.externalKafka.ports, else those of the bootstrap servers), at networkPolicy.externalKafka.to if set.
*/}}
{{- define "genfleet.kafka.egress" -}}
{{- if eq .Values.kafka.mode "strimzi" }}
- to:
    - podSelector:
        matchLabels:
          strimzi.io/cluster: {{ include "genfleet.kafka.clusterName" . }}
          strimzi.io/kind: Kafka
  ports:
    - port: 9093
      protocol: TCP
{{- else }}
{{- $ports := .Values.networkPolicy.externalKafka.ports }}
{{- if not $ports }}
{{- range (splitList "," (include "genfleet.kafka.bootstrap" .)) }}
{{- $port := regexFind "[0-9]+$" (trim .) }}
{{- if not $port }}{{ fail (printf "kafka.external.bootstrapServers: no port in %q" .) }}{{ end }}
{{- $ports = append $ports (atoi $port) }}
{{- end }}
{{- end }}
- ports:
    {{- range (uniq $ports) }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
  {{- with .Values.networkPolicy.externalKafka.to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* env + volume pieces for a Kafka client pod: (dict "root" $ "secret" name) */}}
{{- define "genfleet.kafka.env" -}}
{{- if include "genfleet.kafka.sasl" .root }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ required "a Kafka user secret is required for SASL" .secret }}
      key: sasl.jaas.config
{{- end }}
{{- if include "genfleet.kafka.mtls" .root }}
- name: KAFKA_SSL_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "a Kafka user secret is required for mutual TLS" .secret }}
      key: user.password
{{- end }}
{{- end -}}

{{- define "genfleet.kafka.volumeMounts" -}}
{{- if include "genfleet.kafka.customCa" . }}
- name: kafka-ca
  mountPath: /etc/genfleet/kafka-ca
  readOnly: true
{{- end }}
{{- if include "genfleet.kafka.mtls" . }}
- name: kafka-user
  mountPath: /etc/genfleet/kafka-user
  readOnly: true
{{- end }}
{{- end -}}

{{/* (dict "root" $ "secret" <the component's Kafka user secret>) */}}
{{- define "genfleet.kafka.volumes" -}}
{{- if include "genfleet.kafka.customCa" .root }}
- name: kafka-ca
  secret:
    secretName: {{ include "genfleet.kafka.caSecret" .root }}
    items:
      - key: {{ include "genfleet.kafka.caKey" .root }}
        path: {{ include "genfleet.kafka.caKey" .root }}
{{- end }}
{{- if include "genfleet.kafka.mtls" .root }}
# the component's client certificate: a Secret shaped like a Strimzi KafkaUser Secret of type tls
- name: kafka-user
  secret:
    secretName: {{ required "a Kafka user secret is required for mutual TLS" .secret }}
    items:
      - key: user.p12
        path: user.p12
{{- end }}
{{- end -}}

{{/* Workers: numbers derived from a pool --------------------------------------------------- */}}

{{/* a pool's jobs topic: (dict "root" $ "pool" $pool "priority" "interactive") */}}
{{- define "genfleet.worker.topic" -}}
{{- printf "%s%s.%s" .root.Values.topics.jobsPrefix .pool.name .priority -}}
{{- end -}}

{{- define "genfleet.worker.group" -}}
{{- printf "genfleet-worker-%s-%s" .pool.name .priority -}}
{{- end -}}

{{/*
lagThreshold = ceil(throughput per replica x target seconds), throughput = batch.maxSize / batchSeconds.
(dict "pool" $pool "seconds" N)
*/}}
{{- define "genfleet.worker.lagThreshold" -}}
{{- $throughput := divf .pool.batch.maxSize .pool.batchSeconds -}}
{{- max 1 (ceil (mulf $throughput .seconds) | int) -}}
{{- end -}}

{{/* the pod's grace period: preStop + worst batch + drain + 10 s of JVM exit */}}
{{- define "genfleet.worker.gracePeriod" -}}
{{- add .root.Values.workers.preStopSleepSeconds .pool.worstBatchSeconds .pool.drainTimeoutSeconds 10 -}}
{{- end -}}

{{/*
A worker's id (env GENFLEET_WORKER_ID): its StatefulSet pod name <statefulset>-<ordinal>, stable across restarts.
acls.yaml grants a pool's transactional ids and control group by the prefix <user>-; when the pool's Kafka user
(an external one) is not a prefix of the StatefulSet's name, the id is <user>-<pod name>, stable as well.
(dict "root" $ "pool" $pool)
*/}}
{{- define "genfleet.worker.id" -}}
{{- $user := include "genfleet.kafka.user.worker" . -}}
{{- $sts := include "genfleet.worker.name" . -}}
{{- if or (not (include "genfleet.kafka.authenticated" .root)) (not $user) (eq $sts $user) (hasPrefix (printf "%s-" $user) $sts) -}}
$(POD_NAME)
{{- else -}}
{{ $user }}-$(POD_NAME)
{{- end -}}
{{- end -}}

{{/* a pool's transaction.timeout.ms: the pool's transactionTimeoutMs, else workers.transactionTimeoutMs */}}
{{- define "genfleet.worker.transactionTimeoutMs" -}}
{{- $ms := .pool.transactionTimeoutMs | default .root.Values.workers.transactionTimeoutMs | int64 -}}
{{- if lt $ms 1000 -}}
{{- fail (printf "pool %s: transactionTimeoutMs must be at least 1000" .pool.name) -}}
{{- end -}}
{{- if eq .root.Values.kafka.mode "strimzi" -}}
{{- $max := index .root.Values.kafka.strimzi.config "transaction.max.timeout.ms" | default 900000 | int64 -}}
{{- if gt $ms $max -}}
{{- fail (printf "pool %s: transactionTimeoutMs %d exceeds the broker's transaction.max.timeout.ms %d" .pool.name $ms $max) -}}
{{- end -}}
{{- end -}}
{{- $ms -}}
{{- end -}}

{{- define "genfleet.worker.device" -}}
{{- if .device -}}{{ .device }}{{- else if gt (int .gpu) 0 -}}gpu{{- else -}}cpu{{- end -}}
{{- end -}}

{{- define "genfleet.validatePools" -}}
{{- $names := list -}}
{{- range .Values.workers.pools -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" .name) -}}
{{- fail (printf "worker pool name %q must be a DNS label" .name) -}}
{{- end -}}
{{- if has .name $names -}}
{{- fail (printf "worker pool %q is listed twice" .name) -}}
{{- end -}}
{{- $names = append $names .name -}}
{{- if lt (float64 .drainTimeoutSeconds) (float64 .worstBatchSeconds) -}}
{{- fail (printf "pool %s: drainTimeoutSeconds must be >= worstBatchSeconds or a draining batch is cut off" .name) -}}
{{- end -}}
{{- if and .scaling.enabled (gt (int .scaling.maxReplicas) (min (int $.Values.topicSpecs.jobsInteractive.partitions) (int $.Values.topicSpecs.jobsBulk.partitions))) -}}
{{- fail (printf "pool %s: scaling.maxReplicas exceeds the partitions of its topics; extra replicas would idle" .name) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A KafkaUser's ACL list, from acls.yaml (the one source of every grant, read by the tests too):
(dict "root" $ "component" "gateway|worker|keda" "user" <user name> ["pool" <pool name>])
*/}}
{{- define "genfleet.kafka.acls" -}}
{{- $root := .root -}}
{{- $t := $root.Values.topics -}}
{{- $catalog := $root.Files.Get "acls.yaml" | fromYaml -}}
{{- $entries := required (printf "acls.yaml lists no ACLs for %s" .component) (index $catalog .component) -}}
{{- $user := .user -}}
{{- $own := .pool | default "" -}}
{{- range $acl := $entries }}
{{- $pools := list $own -}}
{{- if $acl.forEachPool -}}
{{- $pools = list -}}
{{- range $root.Values.workers.pools }}{{ $pools = append $pools .name }}{{ end -}}
{{- end -}}
{{- range $pool := $pools }}
{{- $name := $acl.resource.name | replace "{pool}" $pool | replace "{user}" $user | replace "{jobsPrefix}" $t.jobsPrefix | replace "{results}" $t.results | replace "{audit}" $t.audit | replace "{deadLetters}" $t.deadLetters | replace "{control}" $t.control | replace "{models}" $t.models -}}
{{- if or (contains "{" $name) (contains "}" $name) -}}
{{- fail (printf "acls.yaml: unknown placeholder in %q" $acl.resource.name) -}}
{{- end }}
- resource:
    type: {{ $acl.resource.type }}
    name: {{ $name | quote }}
    patternType: {{ $acl.resource.patternType }}
  operations: [{{ join ", " $acl.operations }}]
{{- end }}
{{- end }}
{{- end -}}

{{/*
The OTLP exporter's settings for the gateway and the workers, only where telemetry.otlpEndpoint names a collector
(without one, the applications install no exporter: gateway/README.md, "Telemetry").
*/}}
{{- define "genfleet.telemetry.env" -}}
{{- with .Values.telemetry.otlpEndpoint }}
{{- if not (regexMatch "^https?://" .) }}{{ fail (printf "telemetry.otlpEndpoint: %q is not an http:// or https:// URL" .) }}{{ end }}
{{- if not (has $.Values.telemetry.otlpProtocol (list "grpc" "http/protobuf")) }}{{ fail "telemetry.otlpProtocol must be grpc or http/protobuf" }}{{ end }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  value: {{ . | quote }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
  value: {{ $.Values.telemetry.otlpProtocol | quote }}
{{- end }}
{{- end -}}

{{/*
NetworkPolicy egress rule to the OpenTelemetry collector (telemetry.otlpEndpoint): its port (from the URL, else 80 or
443 by scheme), at telemetry.collectorTo if set. Nothing without a collector.
*/}}
{{- define "genfleet.telemetry.egress" -}}
{{- with .Values.telemetry.otlpEndpoint }}
{{- $url := urlParse . }}
{{- $port := regexFind "[0-9]+$" (regexFind ":[0-9]+$" $url.host) }}
{{- if not $port }}{{ $port = ternary "443" "80" (eq $url.scheme "https") }}{{ end }}
# the OpenTelemetry collector (telemetry.otlpEndpoint)
- ports:
    - port: {{ atoi $port }}
      protocol: TCP
  {{- with $.Values.telemetry.collectorTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* Blob store (claim check) ------------------------------------------------------------------- */}}
{{/* the claim holding the blob store: the operator's, or the one the chart makes */}}
{{- define "genfleet.blobs.claimName" -}}
{{- .Values.blobs.persistentVolumeClaim.existingClaim | default (printf "%s-blobs" (include "genfleet.fullname" .)) -}}
{{- end -}}

{{/* where the gateway and the pools mount it */}}
{{- define "genfleet.blobs.mountPath" -}}
/var/lib/genfleet/blobs
{{- end -}}

{{/* "true" when the pool writes to the blob store: (dict "root" $ "pool" $pool) */}}
{{- define "genfleet.blobs.inPool" -}}
{{- if and .root.Values.blobs.enabled (has .pool.name .root.Values.blobs.pools) -}}true{{- end -}}
{{- end -}}

{{/* refuses blobs.pools naming no pool */}}
{{- define "genfleet.blobs.validate" -}}
{{- if .Values.blobs.enabled -}}
{{- $names := list -}}
{{- range .Values.workers.pools }}{{ $names = append $names .name }}{{ end -}}
{{- range .Values.blobs.pools -}}
{{- if not (has . $names) -}}
{{- fail (printf "blobs.pools names %q, which is not a workers.pools name (%s)" . (join ", " $names)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
