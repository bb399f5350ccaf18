def oci = new GroovyShell(this.class.classLoader).parse(new File(basedir, '../it-parent/OciCheck.groovy'))
def layout = new File(basedir, 'target/oci')

oci.checkLayout(layout)
assert oci.tags(layout).sort() == ['base', 'same']
def base = oci.manifest(layout, 'base')
def same = oci.manifest(layout, 'same')

// The name is stored as its UTF-8 bytes (OciCheck decodes entry names as UTF-8, whatever the locale).
def files = [:]
base.layers.each { files.putAll(oci.layerEntries(layout, it)) }
def name = files.keySet().find { it.endsWith('.txt') && it.contains('/') }
assert name != null && name.endsWith('d\u00efr/\u00fcn\u00ef.txt'): "names in the image: ${files.keySet()}"
assert new String(files[name].data, 'UTF-8') == 'bonjour\n'

// Unpacked and walked again under the C locale, nothing changed: repack adds no layer, or an empty
// one (a name mangled on the way would show up as a deletion plus an addition).
assert same.layers[0..<base.layers.size()] == base.layers
assert same.layers.size() <= base.layers.size() + 1
same.layers.drop(base.layers.size()).each { layer ->
  def delta = oci.layerEntries(layout, layer)
  assert delta.keySet().findAll { !(it in ['', './', '.']) }.isEmpty(): "unexpected changes: ${delta.keySet()}"
}
return true
