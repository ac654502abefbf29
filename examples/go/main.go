// The purges of a small site's deploy, from Go: ImageKit's cached images, one URL per file with its
// content hash, and Codemagic's build caches, each workflow's with the hash of its own lockfile.
// Credentials are stack config: pulumi config set --secret cache-purge:imagekitPrivateKey …
package main

import (
	"github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go/cachepurge"
	"github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go/cachepurge/codemagic"
	"github.com/pulumi-cache-purge/pulumi-cache-purge/sdk/go/cachepurge/imagekit"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		images, err := cachepurge.HashFiles(ctx, &cachepurge.HashFilesArgs{Path: "site/img", BaseUrl: pulumi.StringRef("https://ik.imagekit.io/acme/img")})
		if err != nil {
			return err
		}
		cdn, err := imagekit.NewUrlPurge(ctx, "images", &imagekit.UrlPurgeArgs{
			Urls: pulumi.ToStringMap(images.Urls),
			Wait: pulumi.Bool(true),
			// Only to point the example at a local emulator; leave unset for ImageKit itself.
			BaseUrl: optional(cfg.Get("imagekitUrl")),
		})
		if err != nil {
			return err
		}
		podfile, err := cachepurge.HashFiles(ctx, &cachepurge.HashFilesArgs{Path: "site/ios/Podfile.lock"})
		if err != nil {
			return err
		}
		gradle, err := cachepurge.HashFiles(ctx, &cachepurge.HashFilesArgs{Path: "site/android/gradle.lockfile"})
		if err != nil {
			return err
		}
		mobile, err := codemagic.NewCachePurge(ctx, "mobile", &codemagic.CachePurgeArgs{
			AppId:     pulumi.String("60ddd0b747960e00124747cb"),
			Workflows: pulumi.StringMap{"build-ipa": pulumi.String(*podfile.Hash), "build-apk": pulumi.String(*gradle.Hash)},
			BaseUrl:   optional(cfg.Get("codemagicUrl")),
		})
		if err != nil {
			return err
		}
		ctx.Export("plans", pulumi.StringMap{"images": cdn.PurgePlan, "mobile": mobile.PurgePlan})
		return nil
	})
}

func optional(value string) pulumi.StringPtrInput {
	if value == "" {
		return nil
	}
	return pulumi.String(value)
}
