def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def base = new File(basedir, 'target/base')
def layout = new File(basedir, 'target/oci')

oci.checkLayout(base)
oci.checkLayout(layout)
assert oci.tags(base) == ['base-1']
assert oci.tags(layout) == ['app']

def bm = oci.manifest(base, 'base-1')
def m = oci.manifest(layout, 'app')
def c = oci.config(layout, 'app')

// The base's layer is reused (copied into the new layout), then a whiteout layer and the new content.
assert bm.layers.size() == 1
assert bm.layers[0].mediaType == 'application/vnd.oci.image.layer.v1.tar'
assert m.layers.size() == 3
assert m.layers[0].digest == bm.layers[0].digest
assert oci.blobFile(layout, bm.layers[0].digest).isFile()
// auto compression: the base has no compressed layer, so gzip
assert m.layers[1..2]*.mediaType.every { it == 'application/vnd.oci.image.layer.v1.tar+gzip' }
assert oci.layerEntries(layout, m.layers[1]).keySet() as List == ['etc/.wh.motd']
assert c.history*.created_by == ['umoci-maven-plugin:build extra directories', 'umoci build: delete',
                                 'umoci-maven-plugin:build extra directories']

// Config: inherited where not set, replaced or added where set; the inherited cmd is cleared with a new entrypoint.
assert c.config.Entrypoint == ['/opt/tool/run']
assert c.config.Cmd == null
assert c.config.Env == ['BASE=yes', 'APP=yes']
assert c.config.Labels == ['base.label': 'from-base']
def bc = oci.config(base, 'base-1')
assert bc.config.Cmd == ['-c', 'echo base']

oci.checkWithTools(layout, 'app')
oci.checkWithTools(base, 'base-1')

// Debian's umoci sees the deletion.
def bundle = new File(basedir, 'target/bundle')
oci.run(['/usr/bin/umoci', 'unpack', '--rootless', '--image', "${layout.absolutePath}:app".toString(),
         bundle.absolutePath], basedir)
assert !new File(bundle, 'rootfs/etc/motd').exists()
assert new File(bundle, 'rootfs/etc/keep').text == 'kept\n'
assert new File(bundle, 'rootfs/opt/tool/run').text == '#!/bin/sh\necho tool\n'
return true
