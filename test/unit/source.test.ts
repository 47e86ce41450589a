import { expect } from '@esm-bundle/chai';
import { dedent, readSource } from '../../cell/source.js';

describe('dedent', () => {
  it('removes common indentation and blank edge lines', () => {
    expect(dedent('\n\n    a = 1\n      b = 2\n\n    c\n  \n')).to.equal('a = 1\n  b = 2\n\nc');
  });

  it('keeps code that has no common indentation', () => {
    expect(dedent('a\n    b')).to.equal('a\n    b');
  });

  it('treats tabs and spaces as different characters', () => {
    expect(dedent('\tx\n    y')).to.equal('\tx\n    y');
    expect(dedent('\t\tx\n\ty')).to.equal('\tx\ny');
  });

  it('ignores whitespace-only lines when finding the indentation', () => {
    expect(dedent('  if x:\n\n      pass')).to.equal('if x:\n\n    pass');
  });

  it('returns an empty string for blank input', () => {
    expect(dedent('  \n \n')).to.equal('');
  });

  it('normalises CRLF line ends', () => {
    expect(dedent('  a\r\n  b\r\n')).to.equal('a\nb');
  });
});

describe('readSource', () => {
  it('prefers a text/x-python script child, raw text included', () => {
    const host = document.createElement('div');
    host.innerHTML = 'ignored<script type="text/x-python">\n  if 1 < 2 & 3:\n      print("<b>")\n</script>';
    expect(readSource(host)).to.equal('if 1 < 2 & 3:\n    print("<b>")');
  });

  it('reads <\\/script and <\\!-- back as </script and <!-- (what integrations write for them)', () => {
    const host = document.createElement('div');
    host.innerHTML = '<script type="text/x-python">s = "<\\!-- <script> <\\/SCRIPT>"</script>';
    expect(host.children).to.have.length(1);
    expect(readSource(host)).to.equal('s = "<!-- <script> </SCRIPT>"');
  });

  it('falls back to the element text, entities decoded', () => {
    const host = document.createElement('div');
    host.innerHTML = '\n    print(1 &lt; 2)\n  ';
    expect(readSource(host)).to.equal('print(1 < 2)');
  });

  it('ignores scripts of other types', () => {
    const host = document.createElement('div');
    host.innerHTML = '<script type="application/json">{}</script>x = 1';
    expect(readSource(host)).to.equal('{}x = 1');
  });
});

describe('readSource: a code block (progressive enhancement)', () => {
  const read = (html: string) => {
    const host = document.createElement('div');
    host.innerHTML = html;
    return readSource(host);
  };

  it('reads a plain <pre><code class="language-python">, entities decoded', () => {
    expect(read('<pre><code class="language-python">if 1 &lt; 2:\n    print("&lt;b&gt;")\n</code></pre>\n')).to.equal(
      'if 1 < 2:\n    print("<b>")',
    );
  });

  it('reads a code block a highlighter wrapped and coloured (Pygments, as Sphinx and MkDocs write it)', () => {
    const html =
      '<div class="highlight"><pre><span></span><span class="k">for</span> <span class="n">i</span> <span class="ow">in</span> ' +
      '<span class="nb">range</span><span class="p">(</span><span class="mi">3</span><span class="p">):</span>\n' +
      '    <span class="nb">print</span><span class="p">(</span><span class="n">i</span><span class="p">)</span>\n</pre></div>\n';
    expect(read(html)).to.equal('for i in range(3):\n    print(i)');
  });

  it('leaves out line-number gutters (Pygments table and inline numbers)', () => {
    const table =
      '<div class="highlight"><table class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre>1\n2</pre></div></td>' +
      '<td class="code"><div><pre><span></span>a = 1\nb = 2\n</pre></div></td></tr></table></div>';
    expect(read(table)).to.equal('a = 1\nb = 2');
    expect(read('<pre><code><span class="linenos">1</span>a = 1\n<span class="linenos">2</span>b = 2\n</code></pre>')).to.equal(
      'a = 1\nb = 2',
    );
  });

  it('reads lines written as <br> (Prism in Docusaurus) and as one <div> each (Expressive Code), blank lines kept', () => {
    const prism =
      '<div class="codeBlockContainer"><pre class="prism-code"><code><span class="token-line"><span class="token keyword">x</span> = 1<br></span>' +
      '<span class="token-line"><br></span><span class="token-line">y = 2<br></span></code></pre><button>Copy</button></div>';
    expect(read(prism)).to.equal('x = 1\n\ny = 2');
    const expressive =
      '<figure><pre data-language="python"><code><div class="ec-line"><div class="gutter"><div class="ln">1</div></div><div class="code">x = 1</div></div>' +
      '<div class="ec-line"><div class="code"></div></div><div class="ec-line"><div class="code">    y = 2</div></div></code></pre></figure>';
    expect(read(expressive)).to.equal('x = 1\n\n    y = 2');
  });

  it('prefers a Python script; an exercise reads its visible code block beside its hidden parts', () => {
    expect(read('<pre><code>shown = 1</code></pre><script type="text/x-python">run = 2</script>')).to.equal('run = 2');
    expect(read('<pre><code>x = ...</code></pre><script type="text/x-python" data-solution>x = 3</script>')).to.equal('x = ...');
  });

  it('is not fooled by what py-cell prerender stored, nor by a hint template', () => {
    const html =
      '<template data-hint><pre>hint</pre></template><pre><code>code()</code></pre>' +
      '<script type="application/vnd.py-cell.outputs+json" data-py-cell-prerendered>{}</script>' +
      '<div data-py-cell-prerendered class="py-cell-prerendered"><pre class="py-cell-stdout">out</pre></div>';
    expect(read(html)).to.equal('code()');
    expect(read('<div data-py-cell-prerendered><pre>out</pre></div>print(1)')).to.equal('print(1)');
  });
});
