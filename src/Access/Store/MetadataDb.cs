using Fieldlab.Access.Rights;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fieldlab.Access.Store;

/// <summary>The metadata store: sites, rigs, organisations, pilots, classes, users (ASP.NET Core Identity), API tokens,
/// service accounts, the audit log, the erasure register, alert cases, the maintenance log and notification settings. One schema, two providers (SQLite embedded, PostgreSQL for
/// a real deployment), each with its own checked-in migrations (<see cref="SqliteMetadataDb"/>, <see cref="PostgresMetadataDb"/>).</summary>
public abstract class MetadataDb(DbContextOptions options) : IdentityUserContext<FieldlabUser>(options)
{
    /// <summary>Sites.</summary>
    public DbSet<Site> Sites => Set<Site>();

    /// <summary>Registered rigs.</summary>
    public DbSet<RigRecord> Rigs => Set<RigRecord>();

    /// <summary>Organisations.</summary>
    public DbSet<Organisation> Organisations => Set<Organisation>();

    /// <summary>Pilots.</summary>
    public DbSet<Pilot> Pilots => Set<Pilot>();

    /// <summary>Rigs of pilots.</summary>
    public DbSet<PilotRig> PilotRigs => Set<PilotRig>();

    /// <summary>Classes.</summary>
    public DbSet<SchoolClass> Classes => Set<SchoolClass>();

    /// <summary>Class memberships.</summary>
    public DbSet<ClassMember> ClassMembers => Set<ClassMember>();

    /// <summary>Class invitations.</summary>
    public DbSet<ClassInvitation> Invitations => Set<ClassInvitation>();

    /// <summary>Personal API tokens.</summary>
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>Service principals.</summary>
    public DbSet<ServiceAccount> ServiceAccounts => Set<ServiceAccount>();

    /// <summary>The audit log.</summary>
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    /// <summary>The erasure register.</summary>
    public DbSet<ErasureRecord> Erasures => Set<ErasureRecord>();

    /// <summary>What people did about alert occurrences.</summary>
    public DbSet<AlertCase> AlertCases => Set<AlertCase>();

    /// <summary>Comments on alert occurrences.</summary>
    public DbSet<AlertComment> AlertComments => Set<AlertComment>();

    /// <summary>The maintenance log of the rigs.</summary>
    public DbSet<MaintenanceAction> MaintenanceActions => Set<MaintenanceAction>();

    /// <summary>People's notification settings.</summary>
    public DbSet<NotificationSettings> NotificationSettings => Set<NotificationSettings>();

    /// <summary>Frozen datasets, one row per version.</summary>
    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();

    /// <summary>Sandboxes into which datasets are replayed.</summary>
    public DbSet<Sandbox> Sandboxes => Set<Sandbox>();

    /// <summary>Lab assignments.</summary>
    public DbSet<Assignment> Assignments => Set<Assignment>();

    /// <summary>Scored submissions to assignments.</summary>
    public DbSet<Submission> Submissions => Set<Submission>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite hands DateTime back as Unspecified, so the kind is restored on reading.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTime>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTime>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<FieldlabUser>(u =>
        {
            u.Property(x => x.Role).HasConversion<string>().HasMaxLength(32);
            u.Property(x => x.SiteId).HasMaxLength(63);
            u.Property(x => x.OrganisationId).HasMaxLength(63);
            u.Property(x => x.DisplayName).HasMaxLength(200);
            u.Property(x => x.ExternalSubject).HasMaxLength(512);
            u.HasIndex(x => x.ExternalSubject).IsUnique();
            u.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
            u.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Site>(s =>
        {
            s.HasKey(x => x.Id);
            s.Property(x => x.Id).HasMaxLength(63);
            s.Property(x => x.Name).HasMaxLength(200);
        });
        builder.Entity<RigRecord>(r =>
        {
            r.HasKey(x => new { x.SiteId, x.RigId });
            r.Property(x => x.SiteId).HasMaxLength(63);
            r.Property(x => x.RigId).HasMaxLength(63);
            r.Property(x => x.Description).HasMaxLength(500);
            r.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<Organisation>(o =>
        {
            o.HasKey(x => x.Id);
            o.Property(x => x.Id).HasMaxLength(63);
            o.Property(x => x.Name).HasMaxLength(200);
        });
        builder.Entity<Pilot>(p =>
        {
            p.Property(x => x.Name).HasMaxLength(200);
            p.Property(x => x.OrganisationId).HasMaxLength(63);
            p.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            p.HasMany(x => x.Rigs).WithOne().HasForeignKey(x => x.PilotId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PilotRig>(r =>
        {
            r.HasKey(x => new { x.PilotId, x.SiteId, x.RigId });
            r.Property(x => x.SiteId).HasMaxLength(63);
            r.Property(x => x.RigId).HasMaxLength(63);
            r.HasOne<RigRecord>().WithMany().HasForeignKey(x => new { x.SiteId, x.RigId }).OnDelete(DeleteBehavior.Restrict);
            r.HasIndex(x => new { x.SiteId, x.RigId });
        });
        builder.Entity<SchoolClass>(c =>
        {
            c.Property(x => x.SiteId).HasMaxLength(63);
            c.Property(x => x.Name).HasMaxLength(63);
            c.HasIndex(x => new { x.SiteId, x.Name }).IsUnique();
            c.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
            c.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ClassMember>(m =>
        {
            m.HasKey(x => new { x.ClassId, x.UserId });
            m.HasOne<FieldlabUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ClassInvitation>(i =>
        {
            i.HasKey(x => x.Id);
            i.Property(x => x.Id).HasMaxLength(32);
            i.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ApiToken>(t =>
        {
            t.HasKey(x => x.Id);
            t.Property(x => x.Id).HasMaxLength(32);
            t.Property(x => x.Name).HasMaxLength(100);
            t.HasOne<FieldlabUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            t.HasIndex(x => x.UserId);
        });
        builder.Entity<ServiceAccount>(s =>
        {
            s.HasKey(x => x.Name);
            s.Property(x => x.Name).HasMaxLength(63);
            s.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        });
        builder.Entity<AuditEntry>(a =>
        {
            a.Property(x => x.Actor).HasMaxLength(256);
            a.Property(x => x.ActorRole).HasMaxLength(32);
            a.Property(x => x.Action).HasMaxLength(64);
            a.Property(x => x.SiteId).HasMaxLength(63);
            a.Property(x => x.RigId).HasMaxLength(63);
            a.Property(x => x.Target).HasMaxLength(256);
            a.Property(x => x.Outcome).HasMaxLength(32);
            a.HasIndex(x => x.Time);
            a.HasIndex(x => new { x.SiteId, x.Time });
        });
        builder.Entity<ErasureRecord>(e =>
        {
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.SiteId).HasMaxLength(63);
            e.Property(x => x.RigId).HasMaxLength(63);
            e.Property(x => x.Requester).HasMaxLength(256);
        });
        builder.Entity<DatasetRecord>(d =>
        {
            d.HasKey(x => new { x.Id, x.Version });
            d.Property(x => x.Id).HasMaxLength(40);
            d.Property(x => x.SelectionKey).HasMaxLength(64);
            d.HasIndex(x => x.SelectionKey);
            d.Property(x => x.SiteId).HasMaxLength(63);
            d.Property(x => x.Rigs).HasMaxLength(2000);
            d.Property(x => x.Sensors).HasMaxLength(4000);
            d.Property(x => x.Parts).HasMaxLength(100);
            d.Property(x => x.FrozenBy).HasMaxLength(256);
            d.Property(x => x.OrganisationId).HasMaxLength(64);
            d.Property(x => x.SamplesSha256).HasMaxLength(64);
        });
        builder.Entity<Sandbox>(x =>
        {
            x.HasKey(s => s.SiteId);
            x.Property(s => s.SiteId).HasMaxLength(63);
            x.Property(s => s.HostSiteId).HasMaxLength(63);
            x.Property(s => s.DatasetId).HasMaxLength(40);
            x.Property(s => s.CreatedBy).HasMaxLength(256);
            x.HasIndex(s => s.ExpiresAt);
        });
        builder.Entity<Assignment>(a =>
        {
            a.Property(x => x.SiteId).HasMaxLength(63);
            a.Property(x => x.Title).HasMaxLength(200);
            a.Property(x => x.DatasetId).HasMaxLength(40);
            a.Property(x => x.Task).HasMaxLength(20);
            a.Property(x => x.FailureLabel).HasMaxLength(100);
            a.Property(x => x.CreatedBy).HasMaxLength(256);
            a.HasOne<SchoolClass>().WithMany().HasForeignKey(x => x.ClassId).OnDelete(DeleteBehavior.Cascade);
            a.HasIndex(x => x.ClassId);
        });
        builder.Entity<Submission>(x =>
        {
            x.Property(s => s.UserId).HasMaxLength(450);
            x.Property(s => s.Sha256).HasMaxLength(64);
            x.Property(s => s.Metrics).HasMaxLength(20000);
            x.HasOne<Assignment>().WithMany().HasForeignKey(s => s.AssignmentId).OnDelete(DeleteBehavior.Cascade);
            x.HasIndex(s => new { s.AssignmentId, s.UserId });
        });
        builder.Entity<MaintenanceAction>(m =>
        {
            m.Property(x => x.SiteId).HasMaxLength(63);
            m.Property(x => x.RigId).HasMaxLength(63);
            m.Property(x => x.What).HasMaxLength(200);
            m.Property(x => x.Component).HasMaxLength(200);
            m.Property(x => x.Notes).HasMaxLength(4000);
            m.Property(x => x.PerformedBy).HasMaxLength(256);
            m.Property(x => x.RebaselineOutcome).HasMaxLength(32);
            m.HasOne<RigRecord>().WithMany().HasForeignKey(x => new { x.SiteId, x.RigId }).OnDelete(DeleteBehavior.Restrict);
            m.HasIndex(x => new { x.SiteId, x.RigId, x.PerformedAt });
        });
        builder.Entity<AlertCase>(a =>
        {
            a.Property(x => x.SiteId).HasMaxLength(63);
            a.Property(x => x.RigId).HasMaxLength(63);
            a.Property(x => x.AlertId).HasMaxLength(128);
            a.Property(x => x.Status).HasMaxLength(16);
            a.Property(x => x.AcknowledgedBy).HasMaxLength(256);
            a.Property(x => x.ClosedBy).HasMaxLength(256);
            a.Property(x => x.Resolution).HasMaxLength(2000);
            // One case per occurrence: two people acting at once meet in the unique index, not in two cases.
            a.HasIndex(x => new { x.SiteId, x.RigId, x.AlertId, x.RaisedAtNs }).IsUnique();
            a.HasIndex(x => new { x.SiteId, x.RigId, x.RaisedAt });
            a.HasOne<RigRecord>().WithMany().HasForeignKey(x => new { x.SiteId, x.RigId }).OnDelete(DeleteBehavior.Restrict);
            a.HasOne<FieldlabUser>().WithMany().HasForeignKey(x => x.AssigneeUserId).OnDelete(DeleteBehavior.SetNull);
            a.HasOne<MaintenanceAction>().WithMany().HasForeignKey(x => x.MaintenanceActionId).OnDelete(DeleteBehavior.SetNull);
            a.HasMany(x => x.Comments).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AlertComment>(c =>
        {
            c.Property(x => x.Author).HasMaxLength(256);
            c.Property(x => x.Text).HasMaxLength(4000);
        });
        builder.Entity<NotificationSettings>(n =>
        {
            n.HasKey(x => x.UserId);
            n.Property(x => x.WebhookUrl).HasMaxLength(2000);
            n.Property(x => x.WebhookSecret).HasMaxLength(100);
            n.Property(x => x.Email).HasMaxLength(254);
            n.Property(x => x.Kinds).HasMaxLength(200);
            n.HasOne<FieldlabUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            n.HasIndex(x => x.Enabled);
        });
    }

    private sealed class UtcDateTime() : ValueConverter<DateTime, DateTime>(
        // An Unspecified time is taken as UTC (never as local time: the server's zone must not shift stored times).
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>The metadata store on SQLite (the embedded default: a file under <c>.fieldlab/</c>).</summary>
public sealed class SqliteMetadataDb(DbContextOptions<SqliteMetadataDb> options) : MetadataDb(options);

/// <summary>The metadata store on PostgreSQL (a real deployment).</summary>
public sealed class PostgresMetadataDb(DbContextOptions<PostgresMetadataDb> options) : MetadataDb(options);
