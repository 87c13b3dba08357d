# Build: docker build -t referral-service .
# Run:   docker run -p 8080:8080 -e ConnectionStrings__Referral="..." -e Database__Provider=SqlServer \
#          -e Authentication__Schemes__Bearer__Authority=https://issuer.example referral-service
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props ReferralService.sln ./
COPY src/ReferralService/ReferralService.csproj src/ReferralService/
RUN dotnet restore src/ReferralService/ReferralService.csproj
COPY db/ db/
COPY src/ src/
RUN dotnet publish src/ReferralService/ReferralService.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# The image's built-in unprivileged user.
USER $APP_UID

ENTRYPOINT ["dotnet", "ReferralService.dll"]
