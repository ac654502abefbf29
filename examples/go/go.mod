module example.com/go-cache-purges

go 1.26

require (
	github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go v0.0.0
	github.com/pulumi/pulumi/sdk/v3 v3.276.0
)

// The SDK generated from the plugin's schema: scripts/plugin-sdks.sh <folder>, then copy <folder>/go here.
replace github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go => ./sdk
