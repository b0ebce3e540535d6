using HikiConsult.Server.Audit;
using HikiConsult.Server.Auth;
using HikiConsult.Server.Clients;
using HikiConsult.Server.Devices;
using HikiConsult.Server.EarlyConsultation;
using HikiConsult.Server.Erasure;
using HikiConsult.Server.Health;
using HikiConsult.Server.Hosting;
using HikiConsult.Server.Hubs;
using HikiConsult.Server.Protection;
using HikiConsult.Server.Silo;
using HikiConsult.Server.Seeds;
using HikiConsult.Server.Sessions;
using HikiConsult.Server.Storage;
using HikiConsult.Server.Validation;
using HikiConsult.Server.Web;

// Before anything rents from the shared array pool, which reads its size once (see SharedArrayPoolOptions).
SharedArrayPoolOptions.Apply();

var builder = WebApplication.CreateBuilder(args);

builder.AddStorage();
builder.AddDataProtectionAtRest();
builder.AddSilo();
builder.AddAuth();
builder.AddClients();
builder.AddDevices();
builder.AddHubs();
builder.AddEarlyConsultation();
builder.AddErasure();
builder.AddHealth();
builder.AddSeeds();
builder.AddWeb();
builder.AddInputLimits();

var app = builder.Build();

app.UseMiddleware<DeniedAuditMiddleware>();
app.UseWeb();
app.UseInputLimits();
app.MapAuth();
app.MapClients();
app.MapDevices();
app.MapSessions();
app.MapHubs();
app.MapEarlyConsultation();
app.MapErasure();
app.MapHealth();
app.MapAdminDashboard();
app.MapWeb();

app.Run();

/// <summary>The entry point, public for integration tests (WebApplicationFactory).</summary>
public partial class Program;
