def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def base = new File(basedir, 'target/base')
def layout = new File(basedir, 'target/oci')
def log = new File(basedir, 'build.log').text

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['app-docker', 'app-jib', 'app-oci']
def bm = oci.manifest(base, 'base-1')
def bc = oci.config(base, 'base-1')
assert bm.layers*.mediaType == ['application/vnd.oci.image.layer.v1.tar+gzip']

// The oci-archive's image is taken as it is: its layer, and its manifest digest as the base's.
def fromOci = oci.manifest(layout, 'app-oci')
assert fromOci.layers[0].digest == bm.layers[0].digest
assert fromOci.annotations['org.opencontainers.image.base.digest'] == oci.descriptor(base, 'base-1').digest
assert !fromOci.annotations.containsKey('org.opencontainers.image.base.name')

// The docker archive holds the layer uncompressed: compressed again on import, the same diff_id.
def fromDocker = oci.manifest(layout, 'app-docker')
def dc = oci.config(layout, 'app-docker')
assert fromDocker.layers*.mediaType.every { it == 'application/vnd.oci.image.layer.v1.tar+gzip' }
assert fromDocker.layers.size() == 2
assert dc.rootfs.diff_ids[0] == bc.rootfs.diff_ids[0]
assert dc.config.Env == ['BASE=yes']
assert dc.config.Entrypoint == ['/opt/tool/run']
// Jib's tar:// names the same archive: the same base from the cache.
def fromJib = oci.manifest(layout, 'app-jib')
assert fromJib.layers[0].digest == fromDocker.layers[0].digest
assert fromJib.annotations['org.opencontainers.image.base.digest'] ==
    fromDocker.annotations['org.opencontainers.image.base.digest']

assert log.contains('Base image tar://target/base-archive-1.0-docker.tar: an archive, from the base-image cache' +
                   ' (imported first when its content is new)')
// Each archive is imported at most once (none when the shared cache had it from an earlier run).
assert log.count('importing base image docker-archive:') <= 1
assert log.count('importing base image oci-archive:') <= 1

['app-docker', 'app-oci'].each { tag ->
  oci.checkWithTools(layout, tag)
  def bundle = new File(basedir, "target/bundle-${tag}")
  oci.run(['/usr/bin/umoci', 'unpack', '--rootless', '--image', "${layout.absolutePath}:${tag}".toString(),
           bundle.absolutePath], basedir)
  assert new File(bundle, 'rootfs/etc/base-file').text == 'from the archive\n'
  assert new File(bundle, 'rootfs/opt/tool/run').text == '#!/bin/sh\necho tool\n'
}
return true
