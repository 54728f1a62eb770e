using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldlab.Access.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AlertCasesAndMaintenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MaintenanceActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    RigId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    What = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Component = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PerformedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    PerformedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RebaselineRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    RebaselineOutcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MaintenanceActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MaintenanceActions_Rigs_SiteId_RigId",
                        columns: x => new { x.SiteId, x.RigId },
                        principalTable: "Rigs",
                        principalColumns: new[] { "SiteId", "RigId" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "NotificationSettings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    WebhookUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    WebhookSecret = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    Kinds = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IncludeCleared = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationSettings", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_NotificationSettings_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AlertCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    RigId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    AlertId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RaisedAtNs = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AssigneeUserId = table.Column<string>(type: "TEXT", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    MaintenanceActionId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertCases_AspNetUsers_AssigneeUserId",
                        column: x => x.AssigneeUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_AlertCases_MaintenanceActions_MaintenanceActionId",
                        column: x => x.MaintenanceActionId,
                        principalTable: "MaintenanceActions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_AlertCases_Rigs_SiteId_RigId",
                        columns: x => new { x.SiteId, x.RigId },
                        principalTable: "Rigs",
                        principalColumns: new[] { "SiteId", "RigId" },
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AlertComments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertComments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AlertComments_AlertCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "AlertCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertCases_AssigneeUserId",
                table: "AlertCases",
                column: "AssigneeUserId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertCases_MaintenanceActionId",
                table: "AlertCases",
                column: "MaintenanceActionId");

            migrationBuilder.CreateIndex(
                name: "IX_AlertCases_SiteId_RigId_AlertId_RaisedAtNs",
                table: "AlertCases",
                columns: new[] { "SiteId", "RigId", "AlertId", "RaisedAtNs" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AlertCases_SiteId_RigId_RaisedAt",
                table: "AlertCases",
                columns: new[] { "SiteId", "RigId", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertComments_CaseId",
                table: "AlertComments",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_MaintenanceActions_SiteId_RigId_PerformedAt",
                table: "MaintenanceActions",
                columns: new[] { "SiteId", "RigId", "PerformedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationSettings_Enabled",
                table: "NotificationSettings",
                column: "Enabled");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertComments");

            migrationBuilder.DropTable(
                name: "NotificationSettings");

            migrationBuilder.DropTable(
                name: "AlertCases");

            migrationBuilder.DropTable(
                name: "MaintenanceActions");
        }
    }
}
