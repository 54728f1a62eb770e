using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fieldlab.Access.Store.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssignmentsAndSandboxes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Labels",
                table: "Datasets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "LabelsHidden",
                table: "Datasets",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Parts",
                table: "Datasets",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClassId = table.Column<int>(type: "INTEGER", nullable: false),
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DatasetId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DatasetVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Task = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WindowSeconds = table.Column<double>(type: "REAL", nullable: false),
                    FailureLabel = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Deadline = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SubmissionsPerDay = table.Column<int>(type: "INTEGER", nullable: false),
                    PublicShare = table.Column<double>(type: "REAL", nullable: false),
                    SplitSeed = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_Classes_ClassId",
                        column: x => x.ClassId,
                        principalTable: "Classes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Sandboxes",
                columns: table => new
                {
                    SiteId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    HostSiteId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    ClassId = table.Column<int>(type: "INTEGER", nullable: true),
                    DatasetId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DatasetVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Speed = table.Column<double>(type: "REAL", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sandboxes", x => x.SiteId);
                });

            migrationBuilder.CreateTable(
                name: "Submissions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Rows = table.Column<int>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublicScore = table.Column<double>(type: "REAL", nullable: false),
                    PrivateScore = table.Column<double>(type: "REAL", nullable: false),
                    Metrics = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Submissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Submissions_Assignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "Assignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_ClassId",
                table: "Assignments",
                column: "ClassId");

            migrationBuilder.CreateIndex(
                name: "IX_Sandboxes_ExpiresAt",
                table: "Sandboxes",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Submissions_AssignmentId_UserId",
                table: "Submissions",
                columns: new[] { "AssignmentId", "UserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Sandboxes");

            migrationBuilder.DropTable(
                name: "Submissions");

            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropColumn(
                name: "Labels",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "LabelsHidden",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "Parts",
                table: "Datasets");
        }
    }
}
