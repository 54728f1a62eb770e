using System.Text.Json;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Secrets;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Fieldlab.Api.Access.Authentication;
using Fieldlab.Api.Accounts;
using Fieldlab.Api.Alerts;
using Fieldlab.Api.Audit;
using Fieldlab.Api.Broker;
using Fieldlab.Api.Curves;
using Fieldlab.Api.Assignments;
using Fieldlab.Api.Datasets;
using Fieldlab.Api.Sandboxes;
using Fieldlab.Api.Outputs;
using Fieldlab.Api.Console;
using Fieldlab.Api.Data;
using Fieldlab.Api.Export;
using Fieldlab.Api.Faults;
using Fieldlab.Api.Health;
using Fieldlab.Api.Ingest;
using Fieldlab.Api.Latest;
using Fieldlab.Api.Live;
using Fieldlab.Api.Maintenance;
using Fieldlab.Api.Models;
using Fieldlab.Api.Monitoring;
using Fieldlab.Api.Notifications;
using Fieldlab.Api.Rigs;
using Fieldlab.Api.Series;
using Fieldlab.Api.Session;
using Fieldlab.Api.Tenancy;
using Fieldlab.Api.Truth;
using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Fieldlab.Api;

/// <summary>Wires the API: options (sections <c>Mqtt</c>, <c>Influx</c>, <c>Metadata</c>, <c>BrokerAccess</c>,
/// <c>Oidc</c>, <c>IngestService</c>, <c>Audit</c>, <c>DataProtection</c>, <c>Notifications</c>), authentication, the rights gate, the workers
/// and the resources.</summary>
public static class ApiHost
{
    /// <summary>Registers the API's services.</summary>
    public static WebApplicationBuilder AddFieldlabApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddTelemetryClients(configuration);
        services.AddMetadataStore(configuration);
        // Read when the options are built (a host's configuration can change until then).
        services.AddOptions<Microsoft.AspNetCore.Identity.IdentityOptions>().Configure<IConfiguration>((o, c) =>
        {
            if (c.GetValue<TimeSpan?>("Access:Lockout") is { } lockout) o.Lockout.DefaultLockoutTimeSpan = lockout;
        });
        services.AddValidatedOptions<BrokerAccessOptions>(configuration, "BrokerAccess");
        services.AddValidatedOptions<IngestServiceOptions>(configuration, "IngestService");
        services.AddValidatedOptions<AuditOptions>(configuration, "Audit");
        services.AddSingleton(RightsTable.Current);
        services.AddSingleton<RigPolicy>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<BrokerAccessOptions>>().Value is { Enabled: true } broker
            ? MqttPasswords.FromKeyText(SecretFiles.ReadOrCreate(broker.KeyFile))
            // Another process manages the broker's files: no password is derived here, so no key is needed.
            : new MqttPasswords(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        services.AddSingleton<BrokerAccessPlan>();
        services.AddSingleton<BrokerAccessSync>();
        services.AddHostedService(sp => sp.GetRequiredService<BrokerAccessSync>());
        services.AddSingleton<AuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        services.AddScoped<TenantView>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<RigDataReader>();
        services.AddSingleton<SeriesReader>();
        services.AddSingleton<PilotBundle>();
        services.AddSingleton<IngestClient>();
        services.AddSingleton<FaultCommander>();
        services.AddValidatedOptions<DatasetOptions>(configuration, "Datasets");
        services.AddSingleton<StoredThroughBook>();
        services.AddValidatedOptions<AssignmentOptions>(configuration, "Assignments");
        services.AddSingleton<AnswerKeys>();
        services.AddScoped<DatasetFreezer>();
        services.AddScoped<RecordedLabels>().AddScoped<DatasetQuota>();
        services.AddValidatedOptions<SandboxOptions>(configuration, "Sandboxes");
        services.AddScoped<SandboxRegistry>();
        services.AddSingleton<SandboxCleanup>().AddSingleton<SandboxReaper>();
        services.AddHostedService(sp => sp.GetRequiredService<SandboxReaper>());
        services.AddSingleton<AlertFeed>();
        services.AddValidatedOptions<LiveOptions>(configuration, "Live");
        services.AddSingleton<LiveFeed>();
        services.AddPrometheusMetrics(configuration, ApiMeter.Name, ApiMeter.HostingMeter);
        services.AddSingleton<ApiMeter>();
        services.AddSingleton<LiveSpectra>();
        services.AddSingleton<LiveStreamer>();
        services.AddSingleton<RigDirectoryListener>();
        services.AddHostedService(sp => sp.GetRequiredService<RigDirectoryListener>());
        // Alert lifecycle, maintenance log and notifications (section Notifications; docs/access.md, "Alerts, maintenance and notifications").
        services.AddValidatedOptions<NotificationOptions>(configuration, "Notifications");
        services.AddSingleton<NotificationAudience>().AddSingleton<WebhookSender>().AddSingleton<EmailSender>().AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddFieldlabAuthentication(configuration);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "X-CSRF-TOKEN";
            o.Cookie.Name = "fieldlab.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Session cookies survive a restart of the API when a key directory is configured (with the other secrets, 0700).
        services.AddDataProtection().SetApplicationName("fieldlab-api");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>().Configure<IConfiguration, ILoggerFactory>((o, c, logs) =>
        {
            if (c["DataProtection:Directory"] is not { Length: > 0 } keys) return;
            SecretFiles.EnsurePrivateDirectory(keys);
            o.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(new DirectoryInfo(keys), logs);
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Fieldlab API";
            document.Info.Description = "Rigs, their data and who may see it (docs/access.md). Authenticate with 'Authorization: Bearer flt_…' (./fieldlab credentials USER prints a token).";
            return Task.CompletedTask;
        }));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });
        return builder;
    }

    /// <summary>Applies pending migrations of the metadata store (when configured to), then maps every resource.</summary>
    public static WebApplication MapFieldlabApi(this WebApplication app)
    {
        var store = app.Services.GetRequiredService<IOptions<MetadataStoreOptions>>().Value;
        if (store.MigrateOnStart) MetadataStore.MigrateAsync(store, CancellationToken.None).GetAwaiter().GetResult();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseConsoleAssets();
        app.UseAuthentication();
        app.UseMiddleware<RightsGate>();
        app.MapOpenApi().RequireRight("docs", "read");
        app.MapScalarApiReference(o => o.WithTitle("Fieldlab API")).RequireRight("docs", "read");
        app.MapConsolePages();
        app.MapHealthApi();
        app.Services.GetRequiredService<ApiMeter>(); // its instruments exist from the first scrape on
        // Prometheus reads it without a person's token: open in the rights table, guarded by loopback or the scrape credential.
        app.MapPrometheusMetrics().WithTags("Health").WithName("Metrics").RequireRight("health", "read");
        app.MapSessionApi();
        app.MapMeApi();
        app.MapSitesApi();
        app.MapOrganisationsApi();
        app.MapPilotsApi();
        app.MapUsersApi();
        app.MapClassesApi();
        app.MapAuditApi();
        app.MapIngestApi();
        app.MapSiteLiveApi();
        app.MapDatasetsApi();
        app.MapSandboxesApi();
        app.MapAssignmentsApi();
        var rig = app.MapRigGroup();
        rig.MapSeriesApi();
        rig.MapLatestApi();
        rig.MapExportApi();
        rig.MapAlertsApi();
        rig.MapFaultsApi();
        rig.MapModelsApi();
        rig.MapTruthReleaseApi();
        rig.MapRigLiveApi();
        rig.MapOutputsApi();
        rig.MapOperatingCurveApi();
        // Alert lifecycle, maintenance log and notifications.
        rig.MapAlertLifecycleApi();
        rig.MapMaintenanceApi();
        app.MapNotificationsApi();
        return app;
    }
}
