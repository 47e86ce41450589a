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
