{{- define "clickup-mcp.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "clickup-mcp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "clickup-mcp.labels" -}}
app.kubernetes.io/name: {{ include "clickup-mcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "clickup-mcp.selector" -}}
app.kubernetes.io/name: {{ include "clickup-mcp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{/* The Host values the server accepts: publicURL's host and allowedHosts. */}}
{{- define "clickup-mcp.hosts" -}}
{{- $hosts := list -}}
{{- if .Values.publicURL -}}
{{- $u := urlParse .Values.publicURL -}}
{{- $hosts = append $hosts $u.host -}}
{{- end -}}
{{- range .Values.allowedHosts -}}
{{- $hosts = append $hosts . -}}
{{- end -}}
{{- join "," $hosts -}}
{{- end -}}
