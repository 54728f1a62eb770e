# syntax=docker/dockerfile:1
# Fieldlab api image: the API and the console; /healthz on :8080.
# Build from the repository root (the context deploy/compose/compose.yaml gives): docker build -f deploy/docker/api.Dockerfile .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Only what a build reads (the root .dockerignore keeps out bin/, obj/, .fieldlab/ and tests/).
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# The NuGet cache survives between builds (BuildKit cache mount); the published output is framework-dependent.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/Api/Fieldlab.Api.csproj -c Release -o /app --nologo -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS run
# libmosquitto1: the MQTT client (src/Telemetry/Mqtt) binds to it; curl: the compose healthchecks and provision.sh.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmosquitto1 curl \
    && rm -rf /var/lib/apt/lists/*
# State directories owned by the app user: a named volume mounted on one starts with this owner (docs/operations.md).
RUN mkdir -p /var/lib/fieldlab/secrets /var/lib/fieldlab/mosquitto/access /var/lib/fieldlab/ingest /var/lib/fieldlab/api /var/lib/fieldlab/gateway \
    && chown -R $APP_UID:$APP_UID /var/lib/fieldlab \
    && chmod 0700 /var/lib/fieldlab/secrets /var/lib/fieldlab/mosquitto/access
WORKDIR /app
COPY --from=build /app ./
# The images' non-root user (UID 1654); nothing in Fieldlab needs root.
USER $APP_UID
ENTRYPOINT ["dotnet", "Fieldlab.Api.dll"]
