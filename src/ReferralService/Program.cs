using Microsoft.Extensions.Options;
using ReferralService.Auth;
using ReferralService.Batches;
using ReferralService.Codes;
using ReferralService.Credits;
using ReferralService.Data;
using ReferralService.Infrastructure;
using ReferralService.Jobs;
using ReferralService.Links;
using ReferralService.Programs;
using ReferralService.Redemptions;
using ReferralService.Reports;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddReferralClock();
builder.Services.AddReferralData();
builder.Services.AddReferralAuth();
builder.Services.AddReferralProblemDetails();
builder.Services.AddStrictJson();
builder.Services.AddReferralRateLimits();
builder.Services.AddReferralOpenApi();
builder.Services.AddValidation();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<JobsHealthCheck>("jobs");

builder.Services.AddPrograms();
builder.Services.AddCodes();
builder.Services.AddCodeBatches();
builder.Services.AddLinks();
builder.Services.AddAttribution();
builder.Services.AddInvites();
builder.Services.AddRedemptions();
builder.Services.AddCredits();
builder.Services.AddReports();
builder.Services.AddJobs();

var app = builder.Build();

var migrateOnly = args.Contains("migrate");
if (migrateOnly || app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
{
    app.Services.GetRequiredService<IDbDialect>().Migrate(Migrations.ScriptsRoot);
    if (migrateOnly)
    {
        Console.WriteLine("Database migrated.");
        return;
    }
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI(options => options.EnablePersistAuthorization());
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapHealth();
app.MapPrograms();
app.MapCodes();
app.MapCodeBatches();
app.MapLinks();
app.MapInvites();
app.MapRedemptions();
app.MapAttribution();
app.MapCredits();
app.MapReports();
app.MapJobs();

app.Run();
