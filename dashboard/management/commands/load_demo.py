from django.core.management.base import BaseCommand

from dashboard import demo


class Command(BaseCommand):
    help = "Load the demo college, its departments, one user per role and ~30 members (once; re-runs change nothing)."

    def handle(self, *args, **options):
        org, created = demo.load_demo()
        state = "已载入" if created else "已存在，未改动"
        self.stdout.write(f"演示数据{state}：{org.name}（{org.slug}）")
        self.stdout.write("演示账号（仅供试用，正式使用前请删除或修改密码）：")
        for username, role, password in demo.demo_accounts():
            self.stdout.write(f"  {role:<10} 用户名 {username:<10} 密码 {password}")
