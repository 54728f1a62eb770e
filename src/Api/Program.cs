using Fieldlab.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddFieldlabApi();
var app = builder.Build();
app.MapFieldlabApi();
app.Run();
