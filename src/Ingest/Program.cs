using Fieldlab.Ingest;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddIngest();
var app = builder.Build();
app.MapIngestEndpoints();
app.Run();
