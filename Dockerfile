# The server node of docker-compose.yml: the same HikiConsult.Server as `dotnet run`, with the web pages built in.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/HikiConsult.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# Not root; the data and key directories belong to the app user (0700, see docs/data-protection.md).
RUN mkdir -p /data /keys && chown app:app /data /keys
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "HikiConsult.Server.dll"]
